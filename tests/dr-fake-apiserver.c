/* dr-fake-apiserver.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dr-fake-apiserver.h"
#include "dr-kube-client.h"

/* ---- Certificates ------------------------------------------------------------------------ */

static const char pki_config[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[dn]\n"
  "CN = placeholder\n"
  "[ca]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[server]\n"
  "basicConstraints = CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
  "authorityKeyIdentifier = keyid\n"
  "[client]\n"
  "basicConstraints = CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = clientAuth\n"
  "authorityKeyIdentifier = keyid\n";

static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("cannot run openssl (install it; `build-aux/dev test` does): %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s failed: %s\n%s", args[0], error->message, err);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  return g_bytes_new_take (contents, length);
}

static void
make_signed (const char *dir,
             const char *name,
             const char *subject,
             const char *extensions)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *crt = g_strconcat (name, ".crt", NULL);
  const char *request[] = {
    "req", "-new", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt",
    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", subject,
    NULL
  };
  const char *sign[] = {
    "x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", "2", "-out", crt, "-extfile", "openssl.cnf", "-extensions", extensions, NULL
  };

  run_openssl (dir, request);
  run_openssl (dir, sign);
}

DrTestPki *
dr_test_pki_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *ca_subject = g_strdup_printf ("/CN=%s test CA", name);
  g_autofree char *client_cert = NULL;
  g_autofree char *client_key = NULL;
  DrTestPki *pki = g_new0 (DrTestPki, 1);
  const char *ca[] = {
    "req", "-x509", "-config", "openssl.cnf", "-extensions", "ca", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out",
    "ca.crt", "-days", "2", "-subj", ca_subject, NULL
  };

  pki->dir = g_dir_make_tmp ("deskrun-pki-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (pki->dir, "openssl.cnf", NULL);
  g_file_set_contents (config, pki_config, -1, &error);
  g_assert_no_error (error);

  run_openssl (pki->dir, ca);
  make_signed (pki->dir, "server", "/CN=kube-apiserver", "server");
  make_signed (pki->dir, "client", "/O=system:masters/CN=deskrun-test", "client");

  pki->ca_path = g_build_filename (pki->dir, "ca.crt", NULL);
  pki->ca_key_path = g_build_filename (pki->dir, "ca.key", NULL);
  pki->server_cert_path = g_build_filename (pki->dir, "server.crt", NULL);
  pki->server_key_path = g_build_filename (pki->dir, "server.key", NULL);
  client_cert = g_build_filename (pki->dir, "client.crt", NULL);
  client_key = g_build_filename (pki->dir, "client.key", NULL);
  pki->ca_pem = read_bytes (pki->ca_path);
  pki->client_cert_pem = read_bytes (client_cert);
  pki->client_key_pem = read_bytes (client_key);

  return pki;
}

void
dr_test_pki_free (DrTestPki *pki)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (pki == NULL)
    return;

  dir = g_dir_open (pki->dir, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (pki->dir, entry, NULL);

      g_unlink (path);
    }
  g_rmdir (pki->dir);

  g_free (pki->dir);
  g_free (pki->ca_path);
  g_free (pki->ca_key_path);
  g_free (pki->server_cert_path);
  g_free (pki->server_key_path);
  g_bytes_unref (pki->ca_pem);
  g_bytes_unref (pki->client_cert_pem);
  g_bytes_unref (pki->client_key_pem);
  g_free (pki);
}

/* ---- The server's state ------------------------------------------------------------------ */

typedef struct
{
  char     *group;          /* "" for the core group */
  char     *version;
  char     *api_version;    /* "v1" or "group/version" */
  char     *kind;
  char     *plural;
  gboolean  namespaced;
  gboolean  builtin;        /* strategic merge patch works only on built-in kinds */
} ResourceType;

typedef struct
{
  ResourceType *type;
  char         *namespace_;  /* NULL for cluster-scoped kinds */
  char         *name;
  char         *key;
  char         *path;
  JsonNode     *object;      /* never changed in place: every write stores a new tree */
} Stored;

typedef struct
{
  guint  status;
  char  *content_type;
  char  *body;
  int    retry_after;
  gboolean  hang;
  gboolean *reached;
  guint     trickle_ms;    /* > 0: a 200 whose body never ends, a chunk every trickle_ms */
  gsize     trickle_size;
} Fault;

/* A body that never ends, for the client's limits. Bounded all the same: it stops after
 * TRICKLE_MAX_SECONDS, or when the client goes away. */
#define TRICKLE_MAX_SECONDS 60

typedef struct
{
  GPtrArray         *list;     /* the server's trickles */
  SoupServerMessage *msg;
  char              *chunk;
  gsize              size;
  guint              source;
  gint64             until;
} Trickle;

static void
trickle_free (Trickle *trickle)
{
  g_clear_handle_id (&trickle->source, g_source_remove);
  g_free (trickle->chunk);
  g_free (trickle);
}

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (trickle->msg);

  if (g_get_monotonic_time () > trickle->until)
    {
      trickle->source = 0;
      soup_message_body_complete (body);
      soup_server_message_unpause (trickle->msg);
      return G_SOURCE_REMOVE;
    }
  soup_message_body_append (body, SOUP_MEMORY_COPY, trickle->chunk, trickle->size);
  soup_server_message_unpause (trickle->msg);
  return G_SOURCE_CONTINUE;
}

static void
trickle_finished_cb (SoupServerMessage *msg,
                     Trickle           *trickle)
{
  g_ptr_array_remove (trickle->list, trickle);
  trickle_free (trickle);
}

/* An event of the log, with what a watch needs to filter it. */
typedef struct
{
  DrFakeEvent   event;              /* first: the public part */
  ResourceType *type;
  char         *namespace_;
  char         *name;
  JsonNode     *previous;           /* the object before, NULL for ADDED */
} Event;

/* One line of a container's log. */
typedef struct
{
  gint64   seconds;
  guint32  nanos;
  char    *stamp;                   /* RFC 3339 with nanoseconds, as the kubelet writes it */
  char    *text;
} LogLine;

/* The log of a pod's container: what it writes now, and what the instance before a restart
 * wrote (NULL before the first restart). */
typedef struct
{
  GPtrArray *current;               /* LogLine */
  GPtrArray *previous;
} PodLog;

typedef enum
{
  STREAM_WATCH,
  STREAM_LOG,
} StreamKind;

/* An open streamed response: a watch, or a followed log. */
typedef struct
{
  DrFakeApiserver   *self;
  SoupServerMessage *msg;           /* not touched after its "finished" */
  StreamKind         kind;
  gboolean           closed;        /* completed or dropped: nothing more is sent */
  guint              timeout_id;    /* timeoutSeconds of a watch */

  ResourceType      *type;          /* watches */
  char              *namespace_;
  GPtrArray         *labels;
  GPtrArray         *fields;
  gboolean           bookmarks;

  char              *pod_key;       /* logs */
  gboolean           timestamps;
} Stream;

struct _DrFakeApiserver
{
  SoupServer           *server;
  char                 *url;
  DrFakeApiserverFlags  flags;
  char                 *token;

  GPtrArray            *types;         /* ResourceType */
  GHashTable           *objects;       /* key → Stored */
  guint64               resource_version;
  guint64               compacted;
  DrFakeExpiredStyle    expired_style;
  gboolean              silent_watches; /* a dead connection: timeoutSeconds is not kept */
  GPtrArray            *events;        /* Event */
  GPtrArray            *streams;       /* Stream, open ones */
  GHashTable           *logs;          /* pod key → PodLog */
  gint64                last_log_seconds;
  guint32               last_log_nanos;

  GPtrArray            *requests;      /* DrFakeRequest */
  GQueue                faults;
  GPtrArray            *hung;          /* SoupServerMessage, not owned */
  GPtrArray            *trickles;      /* Trickle, until their message finishes */
};

static void
resource_type_free (gpointer data)
{
  ResourceType *type = data;

  g_free (type->group);
  g_free (type->version);
  g_free (type->api_version);
  g_free (type->kind);
  g_free (type->plural);
  g_free (type);
}

static void
stored_free (gpointer data)
{
  Stored *stored = data;

  g_free (stored->namespace_);
  g_free (stored->name);
  g_free (stored->key);
  g_free (stored->path);
  json_node_unref (stored->object);
  g_free (stored);
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->event.path);
  json_node_unref (event->event.object);
  g_free (event->namespace_);
  g_free (event->name);
  g_clear_pointer (&event->previous, json_node_unref);
  g_free (event);
}

static void
log_line_free (gpointer data)
{
  LogLine *line = data;

  g_free (line->stamp);
  g_free (line->text);
  g_free (line);
}

static void
pod_log_free (gpointer data)
{
  PodLog *log = data;

  g_ptr_array_unref (log->current);
  g_clear_pointer (&log->previous, g_ptr_array_unref);
  g_free (log);
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  g_clear_handle_id (&stream->timeout_id, g_source_remove);
  g_free (stream->namespace_);
  g_clear_pointer (&stream->labels, g_ptr_array_unref);
  g_clear_pointer (&stream->fields, g_ptr_array_unref);
  g_free (stream->pod_key);
  g_free (stream);
}

static void
request_free (gpointer data)
{
  DrFakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_hash_table_unref (request->params);
  g_free (request->content_type);
  g_free (request->authorization);
  g_free (request->user_agent);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static void
fault_free (gpointer data)
{
  Fault *fault = data;

  g_free (fault->content_type);
  g_free (fault->body);
  g_free (fault);
}

/* ---- JSON helpers ------------------------------------------------------------------------ */

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = NULL;

  /* Values are copied by value; objects and arrays by reference, hence the round trip. */
  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return json_node_copy (node);
  text = json_to_string (node, FALSE);
  return json_from_string (text, NULL);
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
metadata_of (JsonNode *node)
{
  return get_object_member (json_node_get_object (node), "metadata");
}

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
rv_string (guint64 rv)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, rv);
}

/* RFC 7386. Returns a reference to the merged node: @target changed in place when it is an
 * object, a new node otherwise. */
static JsonNode *
merge_patch (JsonNode *target,
             JsonNode *patch)
{
  JsonObject *target_object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (patch))
    return deep_copy (patch);

  if (target == NULL || !JSON_NODE_HOLDS_OBJECT (target))
    {
      target = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (target, json_object_new ());
    }
  else
    json_node_ref (target);
  target_object = json_node_get_object (target);

  json_object_iter_init (&iter, json_node_get_object (patch));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (target_object, name);
      else
        {
          JsonNode *old = json_object_get_member (target_object, name);
          JsonNode *merged = merge_patch (old, value);

          /* json_object_set_member() ignores a node that is already the member (keeping
           * our reference), so a member merged in place only drops the extra reference. */
          if (merged == old)
            json_node_unref (merged);
          else
            json_object_set_member (target_object, name, merged);
        }
    }

  return target;
}

/* ---- Status replies ---------------------------------------------------------------------- */

typedef struct
{
  guint     status;
  JsonNode *body;
} Reply;

static const char *
reason_for (guint status)
{
  switch (status)
    {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 406: return "NotAcceptable";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 413: return "RequestEntityTooLarge";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 504: return "Timeout";
    case 503: return "ServiceUnavailable";
    default: return status >= 500 ? "InternalError" : "Unknown";
    }
}

static JsonNode *
status_object (guint       status,
               const char *reason,
               const char *message,
               const char *plural,
               const char *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "Status");
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "v1");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status < 300 ? "Success" : "Failure");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason != NULL ? reason : reason_for (status));
  if (plural != NULL || name != NULL)
    {
      json_builder_set_member_name (builder, "details");
      json_builder_begin_object (builder);
      if (name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
        }
      if (plural != NULL)
        {
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, plural);
        }
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static Reply G_GNUC_PRINTF (3, 4)
fail (guint       status,
      const char *reason,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return (Reply) { status, status_object (status, reason, message, NULL, NULL) };
}

static Reply
not_found (ResourceType *type,
           const char   *name)
{
  g_autofree char *message = NULL;

  if (type == NULL)
    return fail (404, "NotFound", "the server could not find the requested resource");
  message = g_strdup_printf ("%s \"%s\" not found", type->plural, name);
  return (Reply) { 404, status_object (404, "NotFound", message, type->plural, name) };
}

static Reply
ok (guint     status,
    JsonNode *body)
{
  return (Reply) { status, body };
}

/* ---- Routes ------------------------------------------------------------------------------ */

typedef enum
{
  ROUTE_RESOURCE,
  ROUTE_VERSION,
  ROUTE_CORE_VERSIONS,
  ROUTE_GROUPS,
  ROUTE_RESOURCE_LIST,
} RouteKind;

typedef struct
{
  RouteKind     kind;
  char         *group;
  char         *version;
  ResourceType *type;
  char         *namespace_;    /* NULL: cluster-scoped, or all namespaces */
  char         *name;          /* NULL: the collection */
} Route;

static void
route_clear (Route *route)
{
  g_clear_pointer (&route->group, g_free);
  g_clear_pointer (&route->version, g_free);
  g_clear_pointer (&route->namespace_, g_free);
  g_clear_pointer (&route->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Route, route_clear)

static ResourceType *
lookup_type (DrFakeApiserver *self,
             const char      *group,
             const char      *version,
             const char      *plural)
{
  for (guint i = 0; i < self->types->len; i++)
    {
      ResourceType *type = g_ptr_array_index (self->types, i);

      if (g_str_equal (type->group, group) && g_str_equal (type->version, version) &&
          (plural == NULL || g_str_equal (type->plural, plural)))
        return type;
    }
  return NULL;
}

static ResourceType *
lookup_type_by_kind (DrFakeApiserver *self,
                     const char      *api_version,
                     const char      *kind)
{
  for (guint i = 0; i < self->types->len; i++)
    {
      ResourceType *type = g_ptr_array_index (self->types, i);

      if (g_str_equal (type->api_version, api_version) && g_str_equal (type->kind, kind))
        return type;
    }
  return NULL;
}

/* Parses a percent-encoded request path. FALSE: not a path this server knows (404). */
static gboolean
parse_route (DrFakeApiserver *self,
             const char      *path,
             Route           *route)
{
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  char **rest;
  guint n_rest;
  guint n;

  if (path == NULL || path[0] != '/')
    return FALSE;

  raw = g_strsplit (path + 1, "/", -1);
  for (guint i = 0; raw[i] != NULL; i++)
    {
      char *segment = g_uri_unescape_segment (raw[i], NULL, "/");

      if (segment == NULL || *segment == '\0')
        {
          g_free (segment);
          return FALSE;
        }
      g_ptr_array_add (segments, segment);
    }
  g_ptr_array_add (segments, NULL);
  n = segments->len - 1;
  if (n == 0)
    return FALSE;

#define SEG(i) ((const char *) g_ptr_array_index (segments, (i)))
  if (n == 1 && g_str_equal (SEG (0), "version"))
    {
      route->kind = ROUTE_VERSION;
      return TRUE;
    }
  if (n == 1 && g_str_equal (SEG (0), "api"))
    {
      route->kind = ROUTE_CORE_VERSIONS;
      return TRUE;
    }
  if (n == 1 && g_str_equal (SEG (0), "apis"))
    {
      route->kind = ROUTE_GROUPS;
      return TRUE;
    }

  if (g_str_equal (SEG (0), "api") && n >= 2)
    {
      route->group = g_strdup ("");
      route->version = g_strdup (SEG (1));
      rest = (char **) segments->pdata + 2;
      n_rest = n - 2;
    }
  else if (g_str_equal (SEG (0), "apis") && n >= 3)
    {
      route->group = g_strdup (SEG (1));
      route->version = g_strdup (SEG (2));
      rest = (char **) segments->pdata + 3;
      n_rest = n - 3;
    }
  else
    return FALSE;
#undef SEG

  if (n_rest == 0)
    {
      route->kind = ROUTE_RESOURCE_LIST;
      return lookup_type (self, route->group, route->version, NULL) != NULL;
    }

  route->kind = ROUTE_RESOURCE;
  if (g_str_equal (rest[0], "namespaces") && n_rest >= 3)
    {
      if (n_rest > 4)
        return FALSE;               /* subresources are not served */
      route->type = lookup_type (self, route->group, route->version, rest[2]);
      if (route->type == NULL || !route->type->namespaced)
        return FALSE;
      route->namespace_ = g_strdup (rest[1]);
      route->name = g_strdup (rest[3]);
      return TRUE;
    }

  if (n_rest > 2)
    return FALSE;
  route->type = lookup_type (self, route->group, route->version, rest[0]);
  if (route->type == NULL)
    return FALSE;
  /* A namespaced object cannot be named without its namespace. */
  if (route->type->namespaced && n_rest == 2)
    return FALSE;
  route->name = g_strdup (rest[1]);
  return TRUE;
}

static char *
object_key (ResourceType *type,
            const char   *namespace_,
            const char   *name)
{
  return g_strdup_printf ("%s/%s/%s/%s", type->group, type->plural,
                          namespace_ != NULL ? namespace_ : "", name);
}

/* The path the client itself asks for (dr_kube_path()), so the fake and the client cannot
 * disagree about escaping. */
static char *
object_path (ResourceType *type,
             const char   *namespace_,
             const char   *name)
{
  g_autofree char *api_version = NULL;

  api_version = type->group[0] != '\0' ? g_strdup_printf ("%s/%s", type->group, type->version)
                                        : g_strdup (type->version);
  return dr_kube_path (api_version, type->plural, namespace_, name);
}

static Stored *
lookup_stored (DrFakeApiserver *self,
               ResourceType    *type,
               const char      *namespace_,
               const char      *name)
{
  g_autofree char *key = object_key (type, namespace_, name);

  return g_hash_table_lookup (self->objects, key);
}

static ResourceType *
namespaces_type (DrFakeApiserver *self)
{
  return lookup_type (self, "", "v1", "namespaces");
}

/* ---- Writes ------------------------------------------------------------------------------ */

static void watches_send_event (DrFakeApiserver *self,
                                Event           *event);

/* Logs the write of @stored (its object is the new one) and tells the open watches. */
static void
log_event (DrFakeApiserver *self,
           const char      *type,
           Stored          *stored,
           JsonNode        *previous)
{
  Event *event = g_new0 (Event, 1);

  event->event.type = type;
  event->event.resource_version = self->resource_version;
  event->event.path = g_strdup (stored->path);
  event->event.object = json_node_ref (stored->object);
  event->type = stored->type;
  event->namespace_ = g_strdup (stored->namespace_);
  event->name = g_strdup (stored->name);
  event->previous = previous != NULL ? json_node_ref (previous) : NULL;
  g_ptr_array_add (self->events, event);

  watches_send_event (self, event);
}

static void
set_resource_version (JsonNode *object,
                      guint64   rv)
{
  g_autofree char *text = rv_string (rv);

  json_object_set_string_member (metadata_of (object), "resourceVersion", text);
}

static gboolean
has_finalizers (JsonNode *object)
{
  JsonObject *metadata = metadata_of (object);
  JsonNode *finalizers = metadata != NULL ? json_object_get_member (metadata, "finalizers") : NULL;

  return finalizers != NULL && JSON_NODE_HOLDS_ARRAY (finalizers) &&
         json_array_get_length (json_node_get_array (finalizers)) > 0;
}

static gboolean
is_terminating (JsonNode *object)
{
  return get_string_member (metadata_of (object), "deletionTimestamp") != NULL;
}


/* Replaces the stored object with @object (taken) at the next resourceVersion. */
static void
store_write (DrFakeApiserver *self,
             Stored          *stored,
             JsonNode        *object,
             const char      *event_type)
{
  g_autoptr(JsonNode) previous = stored->object;

  set_resource_version (object, ++self->resource_version);
  stored->object = object;
  log_event (self, event_type, stored, g_str_equal (event_type, "ADDED") ? NULL : previous);
}

static void remove_object (DrFakeApiserver *self,
                           Stored          *stored,
                           gboolean         orphan);
static void forget_pod_log (DrFakeApiserver *self,
                            const char      *pod_key);

static gboolean
namespace_is_empty (DrFakeApiserver *self,
                    const char      *name)
{
  GHashTableIter iter;
  Stored *other;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (g_strcmp0 (other->namespace_, name) == 0)
      return FALSE;
  return TRUE;
}

/* The namespace controller: a terminating namespace goes once it is empty and its own
 * finalizers are gone. */
static void
maybe_remove_namespace (DrFakeApiserver *self,
                        const char      *name)
{
  ResourceType *type = namespaces_type (self);
  Stored *ns = type != NULL ? lookup_stored (self, type, NULL, name) : NULL;

  if (ns == NULL || !is_terminating (ns->object) || has_finalizers (ns->object))
    return;
  if (namespace_is_empty (self, name))
    remove_object (self, ns, FALSE);
}

static void delete_object (DrFakeApiserver *self,
                           Stored          *stored,
                           gboolean         orphan);

static gboolean
owned_by (JsonNode   *object,
          const char *uid)
{
  JsonObject *metadata = metadata_of (object);
  JsonNode *refs = metadata != NULL ? json_object_get_member (metadata, "ownerReferences") : NULL;
  JsonArray *array;

  if (refs == NULL || !JSON_NODE_HOLDS_ARRAY (refs))
    return FALSE;
  array = json_node_get_array (refs);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *ref = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (ref) &&
          g_strcmp0 (get_string_member (json_node_get_object (ref), "uid"), uid) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
orphan_dependent (DrFakeApiserver *self,
                  Stored          *stored,
                  const char      *uid)
{
  JsonNode *object = deep_copy (stored->object);
  JsonObject *metadata = metadata_of (object);
  JsonArray *refs = json_object_get_array_member (metadata, "ownerReferences");
  JsonArray *kept = json_array_new ();

  for (guint i = 0; i < json_array_get_length (refs); i++)
    {
      JsonNode *ref = json_array_get_element (refs, i);

      if (!JSON_NODE_HOLDS_OBJECT (ref) ||
          g_strcmp0 (get_string_member (json_node_get_object (ref), "uid"), uid) != 0)
        json_array_add_element (kept, json_node_copy (ref));
    }
  json_object_set_array_member (metadata, "ownerReferences", kept);
  store_write (self, stored, object, "MODIFIED");
}

/* Removes @stored for good. What the garbage collector would do next happens at once:
 * dependents (by ownerReferences) are deleted, or orphaned for propagationPolicy Orphan. */
static void
remove_object (DrFakeApiserver *self,
               Stored          *stored,
               gboolean         orphan)
{
  g_autofree char *uid = g_strdup (get_string_member (metadata_of (stored->object), "uid"));
  g_autofree char *key = g_strdup (stored->key);
  g_autofree char *namespace_ = g_strdup (stored->namespace_);
  g_autoptr(GPtrArray) dependents = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Stored *other;

  store_write (self, stored, deep_copy (stored->object), "DELETED");
  if (g_str_equal (stored->type->plural, "pods") && stored->type->group[0] == '\0')
    forget_pod_log (self, key);
  g_hash_table_remove (self->objects, key);

  g_hash_table_iter_init (&iter, self->objects);
  while (uid != NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (owned_by (other->object, uid))
      g_ptr_array_add (dependents, g_strdup (other->key));

  for (guint i = 0; i < dependents->len; i++)
    {
      other = g_hash_table_lookup (self->objects, g_ptr_array_index (dependents, i));
      if (other == NULL)
        continue;
      if (orphan)
        orphan_dependent (self, other, uid);
      else
        delete_object (self, other, FALSE);
    }

  if (namespace_ != NULL)
    maybe_remove_namespace (self, namespace_);
}

/* DELETE: finalizers keep an object, marked with a deletionTimestamp, until they are gone;
 * without any it is removed at once. A namespace turns Terminating, deletes its content and
 * goes when that has gone. */
static void
delete_object (DrFakeApiserver *self,
               Stored          *stored,
               gboolean         orphan)
{
  gboolean is_namespace = stored->type == namespaces_type (self);
  g_autofree char *name = g_strdup (stored->name);

  if (!is_namespace && !has_finalizers (stored->object))
    {
      remove_object (self, stored, orphan);
      return;
    }

  if (!is_terminating (stored->object))
    {
      JsonNode *object = deep_copy (stored->object);
      JsonObject *metadata = metadata_of (object);
      g_autofree char *now = now_rfc3339 ();

      json_object_set_string_member (metadata, "deletionTimestamp", now);
      json_object_set_int_member (metadata, "deletionGracePeriodSeconds", 0);
      if (is_namespace)
        {
          JsonObject *status = json_object_new ();

          json_object_set_string_member (status, "phase", "Terminating");
          json_object_set_object_member (json_node_get_object (object), "status", status);
        }
      store_write (self, stored, object, "MODIFIED");
    }

  if (is_namespace)
    {
      g_autoptr(GPtrArray) content = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      Stored *other;

      g_hash_table_iter_init (&iter, self->objects);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
        if (g_strcmp0 (other->namespace_, name) == 0)
          g_ptr_array_add (content, g_strdup (other->key));
      for (guint i = 0; i < content->len; i++)
        {
          other = g_hash_table_lookup (self->objects, g_ptr_array_index (content, i));
          if (other != NULL)
            delete_object (self, other, FALSE);
        }
      maybe_remove_namespace (self, name);
    }
}

/* ---- Validation -------------------------------------------------------------------------- */

static gboolean
valid_name (ResourceType *type,
            const char   *name)
{
  /* RBAC objects take path-segment names ("system:controller:x"); namespaces are DNS labels;
   * everything else a DNS subdomain. */
  if (g_str_equal (type->group, "rbac.authorization.k8s.io"))
    return *name != '\0' && !g_str_equal (name, ".") && !g_str_equal (name, "..") &&
           strpbrk (name, "/%") == NULL;
  if (g_str_equal (type->plural, "namespaces") && type->group[0] == '\0')
    return strlen (name) <= 63 &&
           g_regex_match_simple ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name, 0, 0);
  return strlen (name) <= 253 &&
         g_regex_match_simple ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                               name, 0, 0);
}

static gboolean
is_string_map (JsonNode *node)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
      return FALSE;
  return TRUE;
}

static gboolean
is_string_array (JsonNode *node)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_metadata (ResourceType *type,
                const char   *name,
                JsonObject   *metadata,
                Reply        *reply)
{
  static const char * const maps[] = { "labels", "annotations" };
  JsonNode *node;

  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    if ((node = json_object_get_member (metadata, maps[i])) != NULL &&
        !JSON_NODE_HOLDS_NULL (node) && !is_string_map (node))
      {
        *reply = fail (422, "Invalid", "%s \"%s\" is invalid: metadata.%s: Invalid value: "
                       "must be a map of strings", type->plural, name, maps[i]);
        return FALSE;
      }
  if ((node = json_object_get_member (metadata, "finalizers")) != NULL &&
      !JSON_NODE_HOLDS_NULL (node) && !is_string_array (node))
    {
      *reply = fail (422, "Invalid", "%s \"%s\" is invalid: metadata.finalizers: Invalid value: "
                     "must be a list of strings", type->plural, name);
      return FALSE;
    }
  if ((node = json_object_get_member (metadata, "ownerReferences")) != NULL &&
      !JSON_NODE_HOLDS_NULL (node) && !JSON_NODE_HOLDS_ARRAY (node))
    {
      *reply = fail (422, "Invalid", "%s \"%s\" is invalid: metadata.ownerReferences: Invalid "
                     "value: must be a list", type->plural, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_type (ResourceType *type,
            JsonObject   *root,
            Reply        *reply)
{
  const char *api_version = get_string_member (root, "apiVersion");
  const char *kind = get_string_member (root, "kind");

  if (kind == NULL || *kind == '\0')
    {
      *reply = fail (400, "BadRequest", "Object 'Kind' is missing in the request body");
      return FALSE;
    }
  if (api_version == NULL || !g_str_equal (api_version, type->api_version))
    {
      *reply = fail (400, "BadRequest", "the API version in the data (%s) does not match the "
                     "expected API version (%s)", api_version != NULL ? api_version : "",
                     type->api_version);
      return FALSE;
    }
  if (!g_str_equal (kind, type->kind))
    {
      *reply = fail (400, "BadRequest", "the kind in the data (%s) does not match the expected "
                     "kind (%s)", kind, type->kind);
      return FALSE;
    }
  return TRUE;
}

/* A namespaced object needs its namespace to exist and not to be terminating. */
static gboolean
check_namespace (DrFakeApiserver *self,
                 const char      *namespace_,
                 Reply           *reply)
{
  ResourceType *type = namespaces_type (self);
  Stored *ns;

  if (type == NULL)
    return TRUE;
  ns = lookup_stored (self, type, NULL, namespace_);
  if (ns == NULL)
    {
      *reply = not_found (type, namespace_);
      return FALSE;
    }
  if (is_terminating (ns->object))
    {
      *reply = fail (403, "Forbidden", "unable to create new content in namespace %s because it "
                     "is being terminated", namespace_);
      return FALSE;
    }
  return TRUE;
}

static void
record_manager (JsonObject *metadata,
                const char *manager,
                const char *operation,
                const char *api_version)
{
  JsonNode *old = json_object_get_member (metadata, "managedFields");
  JsonArray *entries = json_array_new ();
  JsonObject *entry = json_object_new ();
  g_autofree char *now = now_rfc3339 ();

  if (old != NULL && JSON_NODE_HOLDS_ARRAY (old))
    {
      JsonArray *array = json_node_get_array (old);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

          if (g_strcmp0 (get_string_member (o, "manager"), manager) != 0 ||
              g_strcmp0 (get_string_member (o, "operation"), operation) != 0)
            json_array_add_element (entries, json_node_copy (element));
        }
    }

  json_object_set_string_member (entry, "manager", manager);
  json_object_set_string_member (entry, "operation", operation);
  json_object_set_string_member (entry, "apiVersion", api_version);
  json_object_set_string_member (entry, "time", now);
  json_object_set_string_member (entry, "fieldsType", "FieldsV1");
  json_object_set_object_member (entry, "fieldsV1", json_object_new ());
  json_array_add_object_element (entries, entry);
  json_object_set_array_member (metadata, "managedFields", entries);
}

/* Whether anything but metadata and status differs: that bumps metadata.generation. */
static gboolean
spec_changed (JsonObject *a,
              JsonObject *b)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *other;

      if (g_str_equal (name, "metadata") || g_str_equal (name, "status"))
        continue;
      other = json_object_get_member (b, name);
      if (other == NULL || !json_node_equal (value, other))
        return TRUE;
    }
  json_object_iter_init (&iter, b);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "metadata") && !g_str_equal (name, "status") &&
        !json_object_has_member (a, name))
      return TRUE;
  return FALSE;
}

/* ---- Verbs ------------------------------------------------------------------------------- */

static Reply
create_object (DrFakeApiserver *self,
               Route           *route,
               JsonNode        *body,
               gboolean         dry_run,
               const char      *manager,
               const char      *operation)
{
  ResourceType *type = route->type;
  g_autoptr(JsonNode) object = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *now = NULL;
  JsonObject *root;
  JsonObject *metadata;
  JsonNode *member;
  const char *namespace_;
  Stored *stored;
  Reply reply;

  if (!JSON_NODE_HOLDS_OBJECT (body))
    return fail (400, "BadRequest", "the body of the request is not a JSON object");
  object = deep_copy (body);
  root = json_node_get_object (object);
  if (!check_type (type, root, &reply))
    return reply;

  member = json_object_get_member (root, "metadata");
  if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member))
    return fail (400, "BadRequest", "metadata is not an object");
  if (member == NULL)
    json_object_set_object_member (root, "metadata", json_object_new ());
  metadata = get_object_member (root, "metadata");

  name = g_strdup (get_string_member (metadata, "name"));
  if (name == NULL || *name == '\0')
    {
      const char *generate = get_string_member (metadata, "generateName");

      g_clear_pointer (&name, g_free);
      if (generate == NULL || *generate == '\0')
        return fail (422, "Invalid", "%s \"\" is invalid: metadata.name: Required value: name or "
                     "generateName is required", type->plural);
      name = g_strdup_printf ("%s%05x", generate, g_random_int_range (0, 0xfffff));
      json_object_set_string_member (metadata, "name", name);
    }
  if (route->name != NULL && !g_str_equal (route->name, name))
    return fail (400, "BadRequest", "the name of the object (%s) does not match the name on the "
                 "URL (%s)", name, route->name);
  if (!valid_name (type, name))
    return fail (422, "Invalid", "%s \"%s\" is invalid: metadata.name: Invalid value: \"%s\": "
                 "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                 "characters, '-' or '.'", type->plural, name, name);

  if (type->namespaced)
    {
      namespace_ = get_string_member (metadata, "namespace");
      if (namespace_ != NULL && *namespace_ != '\0' &&
          !g_str_equal (namespace_, route->namespace_))
        return fail (400, "BadRequest", "the namespace of the provided object does not match "
                     "the namespace sent on the request");
      json_object_set_string_member (metadata, "namespace", route->namespace_);
      if (!check_namespace (self, route->namespace_, &reply))
        return reply;
    }
  else
    json_object_remove_member (metadata, "namespace");
  if (!check_metadata (type, name, metadata, &reply))
    return reply;

  if (lookup_stored (self, type, route->namespace_, name) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s \"%s\" already exists", type->plural, name);

      return ok (409, status_object (409, "AlreadyExists", message, type->plural, name));
    }

  uid = g_uuid_string_random ();
  now = now_rfc3339 ();
  json_object_remove_member (metadata, "deletionTimestamp");
  json_object_remove_member (metadata, "deletionGracePeriodSeconds");
  json_object_remove_member (metadata, "resourceVersion");
  json_object_remove_member (metadata, "managedFields");
  json_object_set_string_member (metadata, "uid", uid);
  json_object_set_string_member (metadata, "creationTimestamp", now);
  json_object_set_int_member (metadata, "generation", 1);
  record_manager (metadata, manager, operation, type->api_version);
  if (type == namespaces_type (self))
    {
      JsonObject *status = json_object_new ();

      json_object_set_string_member (status, "phase", "Active");
      json_object_set_object_member (root, "status", status);
    }

  if (dry_run)
    return ok (201, g_steal_pointer (&object));

  stored = g_new0 (Stored, 1);
  stored->type = type;
  stored->namespace_ = g_strdup (type->namespaced ? route->namespace_ : NULL);
  stored->name = g_strdup (name);
  stored->key = object_key (type, stored->namespace_, name);
  stored->path = object_path (type, stored->namespace_, name);
  stored->object = json_node_ref (object);
  g_hash_table_insert (self->objects, stored->key, stored);
  store_write (self, stored, g_steal_pointer (&object), "ADDED");

  return ok (201, json_node_ref (stored->object));
}

static gboolean
adds_finalizer (JsonNode *before,
                JsonNode *after)
{
  JsonNode *old = json_object_get_member (metadata_of (before), "finalizers");
  JsonNode *new = json_object_get_member (metadata_of (after), "finalizers");
  JsonArray *new_array;

  if (new == NULL || !JSON_NODE_HOLDS_ARRAY (new))
    return FALSE;
  new_array = json_node_get_array (new);
  for (guint i = 0; i < json_array_get_length (new_array); i++)
    {
      const char *finalizer = json_array_get_string_element (new_array, i);
      gboolean known = FALSE;

      if (old != NULL && JSON_NODE_HOLDS_ARRAY (old))
        {
          JsonArray *old_array = json_node_get_array (old);

          for (guint j = 0; j < json_array_get_length (old_array) && !known; j++)
            known = g_strcmp0 (json_array_get_string_element (old_array, j), finalizer) == 0;
        }
      if (!known)
        return TRUE;
    }
  return FALSE;
}

/* Stores @object (taken) as the new state of @stored: identity checks, the resourceVersion
 * precondition, server-owned fields kept, generation and managedFields maintained. A write
 * that changes nothing is not a write (no new resourceVersion), as on a real server. */
static Reply
update_object (DrFakeApiserver *self,
               Stored          *stored,
               JsonNode        *object_in,
               gboolean         dry_run,
               const char      *manager,
               const char      *operation)
{
  static const char * const server_fields[] = {
    "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
    "generation", "resourceVersion", "managedFields",
  };
  g_autoptr(JsonNode) object = object_in;
  ResourceType *type = stored->type;
  JsonObject *old_root = json_node_get_object (stored->object);
  JsonObject *old_metadata = metadata_of (stored->object);
  JsonObject *root;
  JsonObject *metadata;
  const char *name;
  const char *namespace_;
  const char *rv;
  Reply reply;

  if (!JSON_NODE_HOLDS_OBJECT (object))
    return fail (400, "BadRequest", "the object is not a JSON object");
  root = json_node_get_object (object);
  if (!check_type (type, root, &reply))
    return reply;
  metadata = get_object_member (root, "metadata");
  if (metadata == NULL)
    return fail (422, "Invalid", "%s \"%s\" is invalid: metadata: Required value", type->plural,
                 stored->name);

  name = get_string_member (metadata, "name");
  if (name == NULL || !g_str_equal (name, stored->name))
    return fail (400, "BadRequest", "the name of the object (%s) does not match the name on the "
                 "URL (%s)", name != NULL ? name : "", stored->name);
  if (type->namespaced)
    {
      namespace_ = get_string_member (metadata, "namespace");
      if (namespace_ != NULL && *namespace_ != '\0' &&
          !g_str_equal (namespace_, stored->namespace_))
        return fail (400, "BadRequest", "the namespace of the provided object does not match "
                     "the namespace sent on the request");
      json_object_set_string_member (metadata, "namespace", stored->namespace_);
    }

  rv = get_string_member (metadata, "resourceVersion");
  if (rv != NULL && *rv != '\0' &&
      g_strcmp0 (rv, get_string_member (old_metadata, "resourceVersion")) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Operation cannot be fulfilled on %s \"%s\": "
                                                  "the object has been modified; please apply "
                                                  "your changes to the latest version and try "
                                                  "again", type->plural, stored->name);

      return ok (409, status_object (409, "Conflict", message, type->plural, stored->name));
    }
  if (!check_metadata (type, stored->name, metadata, &reply))
    return reply;
  if (is_terminating (stored->object) && adds_finalizer (stored->object, object))
    return fail (422, "Invalid", "%s \"%s\" is invalid: metadata.finalizers: Forbidden: no new "
                 "finalizers can be added if the object is being deleted", type->plural,
                 stored->name);

  for (guint i = 0; i < G_N_ELEMENTS (server_fields); i++)
    {
      JsonNode *old = json_object_get_member (old_metadata, server_fields[i]);

      if (old != NULL)
        json_object_set_member (metadata, server_fields[i], json_node_copy (old));
      else
        json_object_remove_member (metadata, server_fields[i]);
    }
  if (type == namespaces_type (self) && json_object_has_member (old_root, "status"))
    json_object_set_member (root, "status",
                            json_node_copy (json_object_get_member (old_root, "status")));

  if (json_node_equal (object, stored->object))
    return ok (200, json_node_ref (stored->object));

  if (spec_changed (root, old_root))
    json_object_set_int_member (metadata, "generation",
                                json_object_get_int_member_with_default (old_metadata,
                                                                         "generation", 0) + 1);
  record_manager (metadata, manager, operation, type->api_version);

  if (dry_run)
    return ok (200, g_steal_pointer (&object));

  store_write (self, stored, g_steal_pointer (&object), "MODIFIED");
  reply = ok (200, json_node_ref (stored->object));

  /* The last finalizer is gone from a terminating object: now it goes. */
  if (is_terminating (stored->object) && !has_finalizers (stored->object))
    {
      if (type == namespaces_type (self))
        {
          g_autofree char *ns = g_strdup (stored->name);

          maybe_remove_namespace (self, ns);
        }
      else
        remove_object (self, stored, FALSE);
    }

  return reply;
}

static gboolean
json_patch_pointer (const char  *pointer,
                    GPtrArray   *tokens)
{
  g_auto(GStrv) parts = NULL;

  if (pointer == NULL || pointer[0] != '/')
    return FALSE;
  parts = g_strsplit (pointer + 1, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GString) token = g_string_new (parts[i]);

      g_string_replace (token, "~1", "/", 0);
      g_string_replace (token, "~0", "~", 0);
      g_ptr_array_add (tokens, g_string_free (g_steal_pointer (&token), FALSE));
    }
  return TRUE;
}

static gboolean
array_index (const char *token,
             guint       length,
             gboolean    may_append,
             guint      *index)
{
  guint64 value;

  if (may_append && g_str_equal (token, "-"))
    {
      *index = length;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (token, 10, 0, may_append ? length : length - 1, &value, NULL) ||
      (length == 0 && !may_append))
    return FALSE;
  *index = value;
  return TRUE;
}

/* A copy of @array with @value inserted at, or put in place of, @index. */
static JsonArray *
array_with (JsonArray *array,
            guint      index,
            JsonNode  *value,
            gboolean   replace)
{
  JsonArray *result = json_array_new ();
  guint length = json_array_get_length (array);

  for (guint i = 0; i <= length; i++)
    {
      if (i == index)
        json_array_add_element (result, deep_copy (value));
      if (i < length && !(replace && i == index))
        json_array_add_element (result, json_node_copy (json_array_get_element (array, i)));
    }
  return result;
}

/* RFC 6902: add, remove, replace and test. */
static gboolean
json_patch (JsonNode   *document,
            JsonNode   *patch,
            char      **message)
{
  JsonArray *ops;

  if (!JSON_NODE_HOLDS_ARRAY (patch))
    {
      *message = g_strdup ("a JSON patch must be a list of operations");
      return FALSE;
    }
  ops = json_node_get_array (patch);
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonNode *op_node = json_array_get_element (ops, i);
      JsonObject *op_object = JSON_NODE_HOLDS_OBJECT (op_node) ? json_node_get_object (op_node)
                                                                : NULL;
      const char *op = get_string_member (op_object, "op");
      const char *pointer = get_string_member (op_object, "path");
      JsonNode *value = op_object != NULL ? json_object_get_member (op_object, "value") : NULL;
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      JsonNode *container = document;
      const char *last;
      guint index;

      if (op == NULL || !json_patch_pointer (pointer, tokens) || tokens->len == 0)
        {
          *message = g_strdup_printf ("operation %u has no valid op or path", i);
          return FALSE;
        }
      if (!g_str_equal (op, "add") && !g_str_equal (op, "remove") &&
          !g_str_equal (op, "replace") && !g_str_equal (op, "test"))
        {
          *message = g_strdup_printf ("the fake API server does not do JSON patch op \"%s\"", op);
          return FALSE;
        }
      if (!g_str_equal (op, "remove") && value == NULL)
        {
          *message = g_strdup_printf ("operation %u (%s) has no value", i, op);
          return FALSE;
        }

      for (guint t = 0; t + 1 < tokens->len && container != NULL; t++)
        {
          const char *token = g_ptr_array_index (tokens, t);

          if (JSON_NODE_HOLDS_OBJECT (container))
            container = json_object_get_member (json_node_get_object (container), token);
          else if (JSON_NODE_HOLDS_ARRAY (container) &&
                   array_index (token, json_array_get_length (json_node_get_array (container)),
                                FALSE, &index))
            container = json_array_get_element (json_node_get_array (container), index);
          else
            container = NULL;
        }
      last = g_ptr_array_index (tokens, tokens->len - 1);

      if (container != NULL && JSON_NODE_HOLDS_OBJECT (container))
        {
          JsonObject *object = json_node_get_object (container);
          JsonNode *current = json_object_get_member (object, last);

          if (g_str_equal (op, "add") || (current != NULL && g_str_equal (op, "replace")))
            json_object_set_member (object, last, deep_copy (value));
          else if (current != NULL && g_str_equal (op, "remove"))
            json_object_remove_member (object, last);
          else if (current != NULL && g_str_equal (op, "test"))
            {
              if (!json_node_equal (current, value))
                {
                  *message = g_strdup_printf ("test operation at %s failed", pointer);
                  return FALSE;
                }
            }
          else
            container = NULL;
        }
      else if (container != NULL && JSON_NODE_HOLDS_ARRAY (container))
        {
          JsonArray *array = json_node_get_array (container);
          guint length = json_array_get_length (array);
          gboolean add = g_str_equal (op, "add");

          if (!array_index (last, length, add, &index))
            container = NULL;
          else if (add || g_str_equal (op, "replace"))
            json_node_take_array (container, array_with (array, index, value, !add));
          else if (g_str_equal (op, "remove"))
            json_array_remove_element (array, index);
          else if (!json_node_equal (json_array_get_element (array, index), value))
            {
              *message = g_strdup_printf ("test operation at %s failed", pointer);
              return FALSE;
            }
        }
      else
        container = NULL;

      if (container == NULL)
        {
          *message = g_strdup_printf ("the path %s of operation %u does not exist", pointer, i);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- Lists ------------------------------------------------------------------------------- */

typedef enum
{
  MATCH_EQUAL,
  MATCH_NOT_EQUAL,
  MATCH_EXISTS,
  MATCH_NOT_EXISTS,
} MatchOp;

typedef struct
{
  char    *key;
  MatchOp  op;
  char    *value;
} Requirement;

static void
requirement_free (gpointer data)
{
  Requirement *requirement = data;

  g_free (requirement->key);
  g_free (requirement->value);
  g_free (requirement);
}

/* Equality-based requirements (=, ==, !=), "key" and "!key", comma-separated. Set-based
 * ones ("in", "notin") are refused as unsupported. */
static GPtrArray *
parse_selector (const char  *text,
                gboolean     labels,
                char       **message)
{
  g_autoptr(GPtrArray) requirements = g_ptr_array_new_with_free_func (requirement_free);
  g_auto(GStrv) terms = NULL;

  if (text == NULL || *text == '\0')
    return g_steal_pointer (&requirements);

  terms = g_strsplit (text, ",", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      Requirement *requirement = g_new0 (Requirement, 1);
      char *term = g_strstrip (terms[i]);
      char *op;

      g_ptr_array_add (requirements, requirement);
      if ((op = strstr (term, "!=")) != NULL)
        {
          requirement->op = MATCH_NOT_EQUAL;
          requirement->value = g_strdup (op + 2);
        }
      else if ((op = strstr (term, "==")) != NULL)
        {
          requirement->op = MATCH_EQUAL;
          requirement->value = g_strdup (op + 2);
        }
      else if ((op = strchr (term, '=')) != NULL)
        {
          requirement->op = MATCH_EQUAL;
          requirement->value = g_strdup (op + 1);
        }
      else if (labels && term[0] == '!')
        {
          requirement->op = MATCH_NOT_EXISTS;
          term++;
        }
      else if (labels)
        requirement->op = MATCH_EXISTS;
      else
        {
          *message = g_strdup_printf ("invalid selector: '%s'; can't understand '%s'", text, term);
          return NULL;
        }
      requirement->key = op != NULL ? g_strndup (term, op - term) : g_strdup (term);
      g_strstrip (requirement->key);
      if (requirement->value != NULL)
        g_strstrip (requirement->value);

      if (*requirement->key == '\0' || strchr (requirement->key, ' ') != NULL ||
          strpbrk (requirement->key, "()!=") != NULL ||
          (requirement->value != NULL && strpbrk (requirement->value, " ()!=,") != NULL))
        {
          *message = g_strdup_printf ("unable to parse requirement: '%s' (the fake API server "
                                      "knows =, ==, !=, key and !key)", term);
          return NULL;
        }
      if (!labels && !g_str_equal (requirement->key, "metadata.name") &&
          !g_str_equal (requirement->key, "metadata.namespace"))
        {
          *message = g_strdup_printf ("field label not supported: %s", requirement->key);
          return NULL;
        }
    }

  return g_steal_pointer (&requirements);
}

static gboolean
matches (GPtrArray  *requirements,
         JsonObject *values)
{
  for (guint i = 0; i < requirements->len; i++)
    {
      Requirement *requirement = g_ptr_array_index (requirements, i);
      const char *value = get_string_member (values, requirement->key);

      switch (requirement->op)
        {
        case MATCH_EQUAL:
          if (g_strcmp0 (value, requirement->value) != 0)
            return FALSE;
          break;
        case MATCH_NOT_EQUAL:
          if (g_strcmp0 (value, requirement->value) == 0)
            return FALSE;
          break;
        case MATCH_EXISTS:
          if (value == NULL)
            return FALSE;
          break;
        case MATCH_NOT_EXISTS:
          if (value != NULL)
            return FALSE;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static int
compare_stored (gconstpointer a,
                gconstpointer b)
{
  const Stored *sa = *(Stored * const *) a;
  const Stored *sb = *(Stored * const *) b;

  return strcmp (sa->key, sb->key);
}

/* Continue tokens carry the resourceVersion of the first page (reported on every page, as a
 * real server's consistent snapshot does) and the key of the last object handed out. */
static char *
encode_continue (guint64     rv,
                 const char *key)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GUINT64_FORMAT "\n%s", rv, key);

  return g_base64_encode ((const guchar *) raw, strlen (raw));
}

static gboolean
decode_continue (const char  *token,
                 guint64     *rv,
                 char       **key)
{
  g_autofree guchar *raw = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  char *newline;

  raw = g_base64_decode (token, &length);
  if (raw == NULL || length == 0)
    return FALSE;
  text = g_strndup ((const char *) raw, length);
  newline = strchr (text, '\n');
  if (newline == NULL)
    return FALSE;
  *newline = '\0';
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, rv, NULL))
    return FALSE;
  *key = g_strdup (newline + 1);
  return TRUE;
}

static Reply
list_objects (DrFakeApiserver *self,
              Route           *route,
              GHashTable      *params)
{
  const char *label_selector = g_hash_table_lookup (params, "labelSelector");
  const char *field_selector = g_hash_table_lookup (params, "fieldSelector");
  const char *limit_text = g_hash_table_lookup (params, "limit");
  const char *token = g_hash_table_lookup (params, "continue");
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  g_autofree char *message = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rv = NULL;
  g_autofree char *list_kind = g_strconcat (route->type->kind, "List", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 limit = 0;
  guint64 list_rv = self->resource_version;
  GHashTableIter iter;
  Stored *stored;
  guint start = 0;
  guint end;

  if ((labels = parse_selector (label_selector, TRUE, &message)) == NULL ||
      (fields = parse_selector (field_selector, FALSE, &message)) == NULL)
    return fail (400, "BadRequest", "%s", message);
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 0, G_MAXINT64, &limit, NULL))
    return fail (400, "BadRequest", "limit: Invalid value: \"%s\"", limit_text);
  if (token != NULL && *token != '\0')
    {
      if (!decode_continue (token, &list_rv, &after))
        return fail (400, "BadRequest", "continue key is not valid");
      if (list_rv <= self->compacted)
        return fail (410, "Expired", "The provided continue parameter is too old to display a "
                     "consistent list result. You can start a new list without the continue "
                     "parameter.");
    }

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stored))
    {
      g_autoptr(JsonObject) field_values = json_object_new ();
      JsonObject *metadata = metadata_of (stored->object);

      if (stored->type != route->type ||
          (route->namespace_ != NULL && g_strcmp0 (stored->namespace_, route->namespace_) != 0))
        continue;
      json_object_set_string_member (field_values, "metadata.name", stored->name);
      if (stored->namespace_ != NULL)
        json_object_set_string_member (field_values, "metadata.namespace", stored->namespace_);
      if (!matches (labels, get_object_member (metadata, "labels")) ||
          !matches (fields, field_values))
        continue;
      if (after != NULL && strcmp (stored->key, after) <= 0)
        continue;
      g_ptr_array_add (selected, stored);
    }
  g_ptr_array_sort (selected, compare_stored);

  end = limit > 0 ? MIN (selected->len, start + limit) : selected->len;
  rv = rv_string (list_rv);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, list_kind);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, route->type->api_version);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceVersion");
  json_builder_add_string_value (builder, rv);
  if (end < selected->len)
    {
      Stored *last = g_ptr_array_index (selected, end - 1);
      g_autofree char *next = encode_continue (list_rv, last->key);

      json_builder_set_member_name (builder, "continue");
      json_builder_add_string_value (builder, next);
      json_builder_set_member_name (builder, "remainingItemCount");
      json_builder_add_int_value (builder, selected->len - end);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    json_builder_add_value (builder,
                            json_node_copy (((Stored *) g_ptr_array_index (selected, i))->object));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return ok (200, json_builder_get_root (builder));
}

/* ---- Requests ---------------------------------------------------------------------------- */

static JsonNode *
parse_body (DrFakeRequest *request,
            Reply         *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = request->body != NULL ? g_bytes_get_data (request->body, &length) : NULL;

  if (length == 0)
    {
      *reply = fail (400, "BadRequest", "the request has no body");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      *reply = fail (400, "BadRequest", "the body of the request is not JSON%s: %s",
                     g_strcmp0 (request->content_type, "application/yaml") == 0 ||
                     g_strcmp0 (request->content_type, "application/apply-patch+yaml") == 0
                     ? " (the fake API server reads YAML only in its JSON form)" : "",
                     error->message);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
check_object_content_type (DrFakeRequest *request,
                           Reply         *reply)
{
  if (g_strcmp0 (request->content_type, "application/json") == 0 ||
      g_strcmp0 (request->content_type, "application/yaml") == 0)
    return TRUE;
  *reply = fail (415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                 "accepted media types include: application/json, application/yaml");
  return FALSE;
}

static const char *
field_manager (DrFakeRequest *request)
{
  const char *manager = g_hash_table_lookup (request->params, "fieldManager");
  static char from_agent[64];

  if (manager != NULL)
    return manager;
  /* As the real server does: the first part of the User-Agent. */
  if (request->user_agent == NULL)
    return "unknown";
  g_strlcpy (from_agent, request->user_agent, sizeof from_agent);
  from_agent[strcspn (from_agent, "/ ")] = '\0';
  return from_agent;
}

static Reply
patch_object (DrFakeApiserver *self,
              Route           *route,
              DrFakeRequest   *request,
              gboolean         dry_run)
{
  const char *type = request->content_type;
  const char *manager = g_hash_table_lookup (request->params, "fieldManager");
  const char *force = g_hash_table_lookup (request->params, "force");
  gboolean apply = g_strcmp0 (type, "application/apply-patch+yaml") == 0;
  Stored *stored = lookup_stored (self, route->type, route->namespace_, route->name);
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) target = NULL;
  JsonNode *result;
  Reply reply;

  if (!apply && g_strcmp0 (type, "application/merge-patch+json") != 0 &&
      g_strcmp0 (type, "application/json-patch+json") != 0 &&
      (g_strcmp0 (type, "application/strategic-merge-patch+json") != 0 || !route->type->builtin))
    return fail (415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                 "accepted media types include: application/json-patch+json, "
                 "application/merge-patch+json, application/apply-patch+yaml%s",
                 route->type->builtin ? ", application/strategic-merge-patch+json" : "");
  if (force != NULL && !apply)
    return fail (422, "Invalid", "force: Forbidden: may not be specified for non-apply patch");
  if (force != NULL && !g_str_equal (force, "true") && !g_str_equal (force, "false"))
    return fail (400, "BadRequest", "force: Invalid value: \"%s\"", force);
  if (apply && (manager == NULL || *manager == '\0'))
    return fail (400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                 "Required value: is required for apply patch");

  if ((patch = parse_body (request, &reply)) == NULL)
    return reply;

  if (apply)
    {
      JsonObject *root = JSON_NODE_HOLDS_OBJECT (patch) ? json_node_get_object (patch) : NULL;

      if (root == NULL || get_string_member (root, "apiVersion") == NULL ||
          get_string_member (root, "kind") == NULL)
        return fail (400, "BadRequest", "an apply patch must be an object with apiVersion and "
                     "kind");
      if (g_strcmp0 (get_string_member (get_object_member (root, "metadata"), "name"),
                     route->name) != 0)
        return fail (400, "BadRequest", "the name of the object (%s) does not match the name "
                     "on the URL (%s)",
                     get_string_member (get_object_member (root, "metadata"), "name"),
                     route->name);
      if (stored == NULL)
        return create_object (self, route, patch, dry_run, manager, "Apply");
    }

  if (stored == NULL)
    return not_found (route->type, route->name);

  target = deep_copy (stored->object);
  if (g_strcmp0 (type, "application/json-patch+json") == 0)
    {
      g_autofree char *message = NULL;

      if (!json_patch (target, patch, &message))
        return fail (422, "Invalid", "%s", message);
      result = g_steal_pointer (&target);
    }
  else
    result = merge_patch (target, patch);

  return update_object (self, stored, result, dry_run, field_manager (request),
                        apply ? "Apply" : "Update");
}

static Reply
delete_request (DrFakeApiserver *self,
                Route           *route,
                DrFakeRequest   *request,
                gboolean         dry_run)
{
  Stored *stored = lookup_stored (self, route->type, route->namespace_, route->name);
  g_autoptr(JsonNode) options = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autofree char *key = NULL;
  JsonObject *preconditions = NULL;
  const char *policy = NULL;
  gboolean orphan;
  Reply reply;

  if (request->body != NULL && g_bytes_get_size (request->body) > 0)
    {
      JsonObject *object;
      JsonNode *node;

      if (g_strcmp0 (request->content_type, "application/json") != 0)
        return fail (415, "UnsupportedMediaType", "DeleteOptions must be application/json");
      if ((options = parse_body (request, &reply)) == NULL)
        return reply;
      if (!JSON_NODE_HOLDS_OBJECT (options))
        return fail (400, "BadRequest", "DeleteOptions must be an object");
      object = json_node_get_object (options);
      if (g_strcmp0 (get_string_member (object, "kind"), "DeleteOptions") != 0 &&
          json_object_has_member (object, "kind"))
        return fail (400, "BadRequest", "the body of a DELETE must be DeleteOptions");
      node = json_object_get_member (object, "propagationPolicy");
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          policy = get_string_member (object, "propagationPolicy");
          if (policy == NULL || (!g_str_equal (policy, "Foreground") &&
                                 !g_str_equal (policy, "Background") &&
                                 !g_str_equal (policy, "Orphan")))
            return fail (422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: "
                         "propagationPolicy: Unsupported value: supported values: "
                         "\"Foreground\", \"Background\", \"Orphan\"");
        }
      node = json_object_get_member (object, "dryRun");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              if (g_strcmp0 (json_array_get_string_element (array, i), "All") != 0)
                return fail (400, "BadRequest", "dryRun: Unsupported value");
              dry_run = TRUE;
            }
        }
      preconditions = get_object_member (object, "preconditions");
    }

  if (stored == NULL)
    return not_found (route->type, route->name);

  if (preconditions != NULL)
    {
      const char *uid = get_string_member (preconditions, "uid");
      const char *rv = get_string_member (preconditions, "resourceVersion");
      JsonObject *metadata = metadata_of (stored->object);

      if ((uid != NULL && g_strcmp0 (uid, get_string_member (metadata, "uid")) != 0) ||
          (rv != NULL && g_strcmp0 (rv, get_string_member (metadata, "resourceVersion")) != 0))
        {
          g_autofree char *message = g_strdup_printf ("Precondition failed for %s \"%s\"",
                                                      route->type->plural, route->name);

          return ok (409, status_object (409, "Conflict", message, route->type->plural,
                                         route->name));
        }
    }

  orphan = g_strcmp0 (policy, "Orphan") == 0;
  if (dry_run)
    {
      JsonNode *object = deep_copy (stored->object);
      gboolean kept = has_finalizers (object) || route->type == namespaces_type (self);

      if (kept && !is_terminating (object))
        {
          g_autofree char *now = now_rfc3339 ();

          json_object_set_string_member (metadata_of (object), "deletionTimestamp", now);
        }
      return ok (kept ? 202 : 200, object);
    }

  before = json_node_ref (stored->object);
  key = g_strdup (stored->key);
  delete_object (self, stored, orphan);

  stored = g_hash_table_lookup (self->objects, key);
  if (stored != NULL)
    return ok (202, json_node_ref (stored->object));
  return ok (200, g_steal_pointer (&before));
}

static Reply
discovery (DrFakeApiserver *self,
           Route           *route)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);

  json_builder_begin_object (builder);
  switch (route->kind)
    {
    case ROUTE_VERSION:
      json_builder_set_member_name (builder, "major");
      json_builder_add_string_value (builder, "1");
      json_builder_set_member_name (builder, "minor");
      json_builder_add_string_value (builder, "31");
      json_builder_set_member_name (builder, "gitVersion");
      json_builder_add_string_value (builder, "v1.31.0-deskrun-fake");
      json_builder_set_member_name (builder, "platform");
      json_builder_add_string_value (builder, "linux/amd64");
      break;

    case ROUTE_CORE_VERSIONS:
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "APIVersions");
      json_builder_set_member_name (builder, "versions");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "v1");
      json_builder_end_array (builder);
      break;

    case ROUTE_GROUPS:
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "APIGroupList");
      json_builder_set_member_name (builder, "apiVersion");
      json_builder_add_string_value (builder, "v1");
      json_builder_set_member_name (builder, "groups");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->types->len; i++)
        {
          ResourceType *type = g_ptr_array_index (self->types, i);

          if (type->group[0] == '\0' || g_hash_table_contains (groups, type->group))
            continue;
          g_hash_table_add (groups, type->group);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, type->group);
          json_builder_set_member_name (builder, "versions");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "groupVersion");
          json_builder_add_string_value (builder, type->api_version);
          json_builder_set_member_name (builder, "version");
          json_builder_add_string_value (builder, type->version);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      break;

    case ROUTE_RESOURCE_LIST:
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "APIResourceList");
      json_builder_set_member_name (builder, "apiVersion");
      json_builder_add_string_value (builder, "v1");
      json_builder_set_member_name (builder, "resources");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->types->len; i++)
        {
          ResourceType *type = g_ptr_array_index (self->types, i);
          static const char * const verbs[] = {
            "create", "delete", "get", "list", "patch", "update",
          };

          if (!g_str_equal (type->group, route->group) ||
              !g_str_equal (type->version, route->version))
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, type->plural);
          json_builder_set_member_name (builder, "namespaced");
          json_builder_add_boolean_value (builder, type->namespaced);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, type->kind);
          json_builder_set_member_name (builder, "verbs");
          json_builder_begin_array (builder);
          for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
            json_builder_add_string_value (builder, verbs[v]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "groupVersion");
      json_builder_add_string_value (builder, route->group[0] != '\0'
                                     ? lookup_type (self, route->group, route->version,
                                                    NULL)->api_version
                                     : "v1");
      break;

    case ROUTE_RESOURCE:
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);

  return ok (200, json_builder_get_root (builder));
}

static Reply
method_not_allowed (void)
{
  return fail (405, "MethodNotAllowed", "the server does not allow this method on the requested "
               "resource");
}

static Reply
dispatch (DrFakeApiserver   *self,
          DrFakeRequest     *request)
{
  g_auto(Route) route = { 0, };
  const char *method = request->method;
  const char *dry_run_param = g_hash_table_lookup (request->params, "dryRun");
  gboolean dry_run = FALSE;
  g_autoptr(JsonNode) body = NULL;
  Stored *stored;
  Reply reply;

  if (!parse_route (self, request->path, &route))
    return not_found (NULL, NULL);
  if (route.kind != ROUTE_RESOURCE)
    return g_str_equal (method, "GET") ? discovery (self, &route) : method_not_allowed ();

  if (dry_run_param != NULL)
    {
      if (!g_str_equal (dry_run_param, "All"))
        return fail (400, "BadRequest", "dryRun: Unsupported value: \"%s\": supported values: "
                     "\"All\"", dry_run_param);
      dry_run = TRUE;
    }

  if (route.name == NULL)
    {
      if (g_str_equal (method, "GET"))
        return list_objects (self, &route, request->params);
      if (!g_str_equal (method, "POST") || (route.type->namespaced && route.namespace_ == NULL))
        return method_not_allowed ();
      if (!check_object_content_type (request, &reply) ||
          (body = parse_body (request, &reply)) == NULL)
        return reply;
      return create_object (self, &route, body, dry_run, field_manager (request), "Update");
    }

  stored = lookup_stored (self, route.type, route.namespace_, route.name);
  if (g_str_equal (method, "GET"))
    return stored != NULL ? ok (200, json_node_ref (stored->object))
                          : not_found (route.type, route.name);
  if (g_str_equal (method, "PUT"))
    {
      if (!check_object_content_type (request, &reply) ||
          (body = parse_body (request, &reply)) == NULL)
        return reply;
      if (stored == NULL)
        return not_found (route.type, route.name);
      return update_object (self, stored, deep_copy (body), dry_run, field_manager (request),
                            "Update");
    }
  if (g_str_equal (method, "PATCH"))
    return patch_object (self, &route, request, dry_run);
  if (g_str_equal (method, "DELETE"))
    return delete_request (self, &route, request, dry_run);

  return method_not_allowed ();
}

static gboolean
authenticated (DrFakeApiserver   *self,
               SoupServerMessage *msg,
               DrFakeRequest     *request)
{
  if (self->token == NULL && !(self->flags & DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT))
    return TRUE;

  if (self->token != NULL && request->authorization != NULL &&
      g_str_has_prefix (request->authorization, "Bearer ") &&
      g_str_equal (request->authorization + strlen ("Bearer "), self->token))
    return TRUE;

  if ((self->flags & DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT) &&
      soup_server_message_get_tls_peer_certificate (msg) != NULL &&
      soup_server_message_get_tls_peer_certificate_errors (msg) == 0)
    return TRUE;

  return FALSE;
}

static DrFakeRequest *
record_request (DrFakeApiserver   *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  DrFakeRequest *request = g_new0 (DrFakeRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (request->params, g_strdup (key), g_strdup (value));
    }
  request->content_type = content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL;
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  if (body != NULL && body->length > 0)
    request->body = soup_message_body_flatten (body);

  g_ptr_array_add (self->requests, request);
  return request;
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *body)
{
  char *text = json_to_string (body, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

/* ---- Streams: watches and logs ----------------------------------------------------------- */

static void
send_reply (SoupServerMessage *msg,
            DrFakeRequest     *request,
            Reply              reply)
{
  reply_json (msg, reply.status, reply.body);
  request->status = reply.status;
  json_node_unref (reply.body);
}

static gboolean
parse_bool (const char *text,
            gboolean   *value)
{
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *value = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* The client went away, or the body is done: the message is never touched again. */
static void
stream_finished_cb (SoupServerMessage *msg,
                    Stream            *stream)
{
  g_ptr_array_remove (stream->self->streams, stream);
}

/* A chunked 200 that stays open. Every piece is appended and the message unpaused
 * (TESTING.md: without it, all chunks arrive at the end). */
static Stream *
stream_new (DrFakeApiserver   *self,
            SoupServerMessage *msg,
            DrFakeRequest     *request,
            StreamKind         kind,
            const char        *content_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Stream *stream = g_new0 (Stream, 1);

  stream->self = self;
  stream->msg = msg;
  stream->kind = kind;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), stream);
  g_ptr_array_add (self->streams, stream);
  request->status = SOUP_STATUS_OK;

  return stream;
}

static void
stream_write (Stream     *stream,
              const char *data,
              gsize       length)
{
  if (stream->closed)
    return;
  soup_message_body_append (soup_server_message_get_response_body (stream->msg),
                            SOUP_MEMORY_COPY, data, length);
  soup_server_message_unpause (stream->msg);
}

/* The clean end: the last chunk, as a server's timeoutSeconds or a container's exit does. */
static void
stream_end (Stream *stream)
{
  if (stream->closed)
    return;
  stream->closed = TRUE;
  g_clear_handle_id (&stream->timeout_id, g_source_remove);
  soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
  soup_server_message_unpause (stream->msg);
}

/* The connection breaks mid-stream: no last chunk ever comes. The socket is shut down, and
 * libsoup notices (and emits "finished") when it tries to write the end. */
static void
stream_drop (Stream *stream)
{
  GSocket *socket;

  if (stream->closed)
    return;
  stream->closed = TRUE;
  g_clear_handle_id (&stream->timeout_id, g_source_remove);
  socket = soup_server_message_get_socket (stream->msg);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
  soup_server_message_unpause (stream->msg);
}

/* The open streams of @kind, as a copy: sending may end one. */
static GPtrArray *
open_streams (DrFakeApiserver *self,
              StreamKind       kind)
{
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (self->streams, i);

      if (stream->kind == kind && !stream->closed)
        g_ptr_array_add (result, stream);
    }
  return result;
}

static gboolean
object_selected (Stream   *stream,
                 JsonNode *object)
{
  JsonObject *metadata = metadata_of (object);
  g_autoptr(JsonObject) fields = json_object_new ();
  const char *name = get_string_member (metadata, "name");
  const char *namespace_ = get_string_member (metadata, "namespace");

  if (name != NULL)
    json_object_set_string_member (fields, "metadata.name", name);
  if (namespace_ != NULL)
    json_object_set_string_member (fields, "metadata.namespace", namespace_);
  return matches (stream->labels, get_object_member (metadata, "labels")) &&
         matches (stream->fields, fields);
}

static void
watch_send (Stream     *stream,
            const char *type,
            JsonNode   *object)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "object");
  json_builder_add_value (builder, json_node_copy (object));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  line = g_strconcat (text, "\n", NULL);
  stream_write (stream, line, strlen (line));
}

/* As a real server filters: an object that stops matching the selectors is DELETED for the
 * watch, one that starts matching is ADDED. */
static void
watch_send_event (Stream *stream,
                  Event  *event)
{
  const char *type = event->event.type;
  gboolean now;
  gboolean before;

  if (stream->closed || event->type != stream->type ||
      (stream->namespace_ != NULL && g_strcmp0 (event->namespace_, stream->namespace_) != 0))
    return;

  now = object_selected (stream, event->event.object);
  before = event->previous != NULL && object_selected (stream, event->previous);
  if (g_str_equal (type, "MODIFIED"))
    {
      if (now && !before)
        type = "ADDED";
      else if (!now && before)
        type = "DELETED";
      else if (!now)
        return;
    }
  else if (!now)
    return;

  watch_send (stream, type, event->event.object);
}

static void
watches_send_event (DrFakeApiserver *self,
                    Event           *event)
{
  g_autoptr(GPtrArray) watches = open_streams (self, STREAM_WATCH);

  for (guint i = 0; i < watches->len; i++)
    watch_send_event (g_ptr_array_index (watches, i), event);
}

static gboolean
watch_timeout_cb (gpointer data)
{
  Stream *stream = data;

  stream->timeout_id = 0;
  stream_end (stream);
  return G_SOURCE_REMOVE;
}

static void
serve_watch (DrFakeApiserver   *self,
             SoupServerMessage *msg,
             DrFakeRequest     *request,
             Route             *route)
{
  GHashTable *params = request->params;
  const char *rv_text = g_hash_table_lookup (params, "resourceVersion");
  const char *bookmarks_text = g_hash_table_lookup (params, "allowWatchBookmarks");
  const char *timeout_text = g_hash_table_lookup (params, "timeoutSeconds");
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *message = NULL;
  gboolean bookmarks = FALSE;
  guint64 rv = 0;
  guint64 timeout = 0;
  Stream *stream;

  if ((labels = parse_selector (g_hash_table_lookup (params, "labelSelector"), TRUE,
                                &message)) == NULL ||
      (fields = parse_selector (g_hash_table_lookup (params, "fieldSelector"), FALSE,
                                &message)) == NULL)
    {
      send_reply (msg, request, fail (400, "BadRequest", "%s", message));
      return;
    }
  if (rv_text != NULL && *rv_text != '\0' && !g_str_equal (rv_text, "0") &&
      !g_ascii_string_to_unsigned (rv_text, 10, 1, G_MAXUINT64, &rv, NULL))
    {
      send_reply (msg, request, fail (400, "BadRequest", "resourceVersion: Invalid value: "
                                      "\"%s\"", rv_text));
      return;
    }
  if (bookmarks_text != NULL && !parse_bool (bookmarks_text, &bookmarks))
    {
      send_reply (msg, request, fail (400, "BadRequest", "allowWatchBookmarks: Invalid value: "
                                      "\"%s\"", bookmarks_text));
      return;
    }
  if (timeout_text != NULL &&
      !g_ascii_string_to_unsigned (timeout_text, 10, 0, G_MAXINT32, &timeout, NULL))
    {
      send_reply (msg, request, fail (400, "BadRequest", "timeoutSeconds: Invalid value: "
                                      "\"%s\"", timeout_text));
      return;
    }

  if (rv > 0 && rv < self->compacted && self->expired_style == DR_FAKE_EXPIRED_HTTP)
    {
      send_reply (msg, request, fail (410, "Expired", "too old resource version: %"
                                      G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT ")", rv,
                                      self->compacted));
      return;
    }

  stream = stream_new (self, msg, request, STREAM_WATCH, "application/json");
  stream->type = route->type;
  stream->namespace_ = g_strdup (route->namespace_);
  stream->labels = g_steal_pointer (&labels);
  stream->fields = g_steal_pointer (&fields);
  stream->bookmarks = bookmarks;

  if (rv > 0 && rv < self->compacted)
    {
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) status = NULL;

      text = g_strdup_printf ("too old resource version: %" G_GUINT64_FORMAT " (%"
                              G_GUINT64_FORMAT ")", rv, self->compacted);
      status = status_object (410, "Expired", text, NULL, NULL);
      watch_send (stream, "ERROR", status);
      stream_end (stream);
      return;
    }

  if (timeout > 0)
    stream->timeout_id = self->silent_watches ? 0 : g_timeout_add_seconds (timeout,
                                                                            watch_timeout_cb,
                                                                            stream);

  if (rv == 0)
    {
      /* No resourceVersion (or "0"): the current state as ADDED events first. */
      g_autoptr(GPtrArray) current = g_ptr_array_new ();
      GHashTableIter iter;
      Stored *stored;

      g_hash_table_iter_init (&iter, self->objects);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stored))
        if (stored->type == route->type &&
            (route->namespace_ == NULL || g_strcmp0 (stored->namespace_, route->namespace_) == 0) &&
            object_selected (stream, stored->object))
          g_ptr_array_add (current, stored);
      g_ptr_array_sort (current, compare_stored);
      for (guint i = 0; i < current->len; i++)
        watch_send (stream, "ADDED", ((Stored *) g_ptr_array_index (current, i))->object);
      return;
    }

  for (guint i = 0; i < self->events->len; i++)
    {
      Event *event = g_ptr_array_index (self->events, i);

      if (event->event.resource_version > rv)
        watch_send_event (stream, event);
    }
}

/* "/api/v1/namespaces/NS/pods/POD/log" */
static gboolean
parse_log_path (const char  *path,
                char       **namespace_,
                char       **pod)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  if (g_strv_length (parts) != 8 || *parts[0] != '\0' || !g_str_equal (parts[1], "api") ||
      !g_str_equal (parts[2], "v1") || !g_str_equal (parts[3], "namespaces") ||
      !g_str_equal (parts[5], "pods") || !g_str_equal (parts[7], "log"))
    return FALSE;
  *namespace_ = g_uri_unescape_segment (parts[4], NULL, "/");
  *pod = g_uri_unescape_segment (parts[6], NULL, "/");
  return *namespace_ != NULL && **namespace_ != '\0' && *pod != NULL && **pod != '\0';
}

static PodLog *
pod_log_for (DrFakeApiserver *self,
             const char      *pod_key)
{
  PodLog *log = g_hash_table_lookup (self->logs, pod_key);

  if (log == NULL)
    {
      log = g_new0 (PodLog, 1);
      log->current = g_ptr_array_new_with_free_func (log_line_free);
      g_hash_table_insert (self->logs, g_strdup (pod_key), log);
    }
  return log;
}

static char *
format_log_line (LogLine  *line,
                 gboolean  timestamps)
{
  if (timestamps)
    return g_strdup_printf ("%s %s\n", line->stamp, line->text);
  return g_strdup_printf ("%s\n", line->text);
}

/* Ends the followed logs of @pod_key cleanly, as the container's exit does. */
static guint
end_log_streams (DrFakeApiserver *self,
                 const char      *pod_key)
{
  g_autoptr(GPtrArray) logs = open_streams (self, STREAM_LOG);
  guint count = 0;

  for (guint i = 0; i < logs->len; i++)
    {
      Stream *stream = g_ptr_array_index (logs, i);

      if (g_str_equal (stream->pod_key, pod_key))
        {
          stream_end (stream);
          count++;
        }
    }
  return count;
}

static void
forget_pod_log (DrFakeApiserver *self,
                const char      *pod_key)
{
  end_log_streams (self, pod_key);
  g_hash_table_remove (self->logs, pod_key);
}

static void
serve_log (DrFakeApiserver   *self,
           SoupServerMessage *msg,
           DrFakeRequest     *request,
           const char        *namespace_,
           const char        *pod)
{
  GHashTable *params = request->params;
  ResourceType *type = lookup_type (self, "", "v1", "pods");
  const char *container = g_hash_table_lookup (params, "container");
  const char *tail_text = g_hash_table_lookup (params, "tailLines");
  const char *since_seconds_text = g_hash_table_lookup (params, "sinceSeconds");
  const char *since_time_text = g_hash_table_lookup (params, "sinceTime");
  static const char * const flags[] = { "follow", "timestamps", "previous" };
  gboolean values[G_N_ELEMENTS (flags)] = { FALSE, };
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  Stored *stored = type != NULL ? lookup_stored (self, type, namespace_, pod) : NULL;
  JsonNode *containers;
  gboolean known = FALSE;
  guint n_containers = 0;
  guint64 tail = 0;
  guint64 since_seconds = 0;
  gint64 since = G_MININT64;
  GPtrArray *lines;
  PodLog *log;

  if (!g_str_equal (request->method, "GET"))
    {
      send_reply (msg, request, method_not_allowed ());
      return;
    }
  if (stored == NULL)
    {
      send_reply (msg, request, not_found (type, pod));
      return;
    }

  containers = json_object_get_member (get_object_member (json_node_get_object (stored->object),
                                                          "spec"), "containers");
  if (containers != NULL && JSON_NODE_HOLDS_ARRAY (containers))
    {
      JsonArray *array = json_node_get_array (containers);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *name = JSON_NODE_HOLDS_OBJECT (element)
                             ? get_string_member (json_node_get_object (element), "name")
                             : NULL;

          if (name == NULL)
            continue;
          g_string_append_printf (names, "%s%s", n_containers > 0 ? " " : "", name);
          n_containers++;
          if (container == NULL && n_containers == 1)
            container = name;
          known = known || g_strcmp0 (container, name) == 0;
        }
    }
  if (g_hash_table_lookup (params, "container") == NULL && n_containers != 1)
    {
      send_reply (msg, request, fail (400, "BadRequest", "a container name must be specified "
                                      "for pod %s, choose one of: [%s]", pod, names->str));
      return;
    }
  if (!known)
    {
      send_reply (msg, request, fail (400, "BadRequest", "container %s is not valid for pod %s",
                                      container, pod));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      const char *text = g_hash_table_lookup (params, flags[i]);

      if (text != NULL && !parse_bool (text, &values[i]))
        {
          send_reply (msg, request, fail (400, "BadRequest", "%s: Invalid value: \"%s\"",
                                          flags[i], text));
          return;
        }
    }
  if (tail_text != NULL &&
      !g_ascii_string_to_unsigned (tail_text, 10, 0, G_MAXINT64, &tail, NULL))
    {
      send_reply (msg, request, fail (422, "Invalid", "tailLines: Invalid value: \"%s\"",
                                      tail_text));
      return;
    }
  if (since_seconds_text != NULL &&
      !g_ascii_string_to_unsigned (since_seconds_text, 10, 1, G_MAXINT32, &since_seconds, NULL))
    {
      send_reply (msg, request, fail (422, "Invalid", "sinceSeconds: Invalid value: \"%s\": "
                                      "must be greater than 0", since_seconds_text));
      return;
    }
  if (since_seconds_text != NULL && since_time_text != NULL)
    {
      send_reply (msg, request, fail (422, "Invalid", "at most one of sinceTime or "
                                      "sinceSeconds may be specified"));
      return;
    }
  if (since_seconds > 0)
    since = g_get_real_time () / G_USEC_PER_SEC - (gint64) since_seconds;
  if (since_time_text != NULL)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (since_time_text, NULL);

      if (time == NULL)
        {
          send_reply (msg, request, fail (400, "BadRequest", "sinceTime: Invalid value: \"%s\": "
                                          "not RFC 3339", since_time_text));
          return;
        }
      /* On its way from the API server to the kubelet, sinceTime is cut to the second. */
      since = g_date_time_to_unix (time);
    }

  log = pod_log_for (self, stored->key);
  lines = values[2] ? log->previous : log->current;
  if (lines == NULL)
    {
      send_reply (msg, request, fail (400, "BadRequest", "previous terminated container \"%s\" "
                                      "in pod \"%s\" not found", container, pod));
      return;
    }
  for (guint i = 0; i < lines->len; i++)
    {
      LogLine *line = g_ptr_array_index (lines, i);

      if (line->seconds >= since)
        g_ptr_array_add (selected, line);
    }
  if (tail_text != NULL && tail < selected->len)
    g_ptr_array_remove_range (selected, 0, selected->len - tail);

  if (!values[0] || values[2])
    {
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint i = 0; i < selected->len; i++)
        {
          g_autofree char *text = format_log_line (g_ptr_array_index (selected, i), values[1]);

          g_string_append (body, text);
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body->str,
                                        body->len);
      request->status = SOUP_STATUS_OK;
      return;
    }

  {
    Stream *stream = stream_new (self, msg, request, STREAM_LOG, "text/plain");

    stream->pod_key = g_strdup (stored->key);
    stream->timestamps = values[1];
    for (guint i = 0; i < selected->len; i++)
      {
        g_autofree char *text = format_log_line (g_ptr_array_index (selected, i), values[1]);

        stream_write (stream, text, strlen (text));
      }
  }
}

/* Watches (?watch=true on a collection) and pod logs; FALSE for everything else. */
static gboolean
serve_stream (DrFakeApiserver   *self,
              SoupServerMessage *msg,
              DrFakeRequest     *request)
{
  g_auto(Route) route = { 0, };
  g_autofree char *namespace_ = NULL;
  g_autofree char *pod = NULL;
  const char *watch = g_hash_table_lookup (request->params, "watch");
  gboolean watching = FALSE;

  if (parse_log_path (request->path, &namespace_, &pod))
    {
      serve_log (self, msg, request, namespace_, pod);
      return TRUE;
    }

  if (watch == NULL)
    return FALSE;
  if (!parse_bool (watch, &watching))
    {
      send_reply (msg, request, fail (400, "BadRequest", "watch: Invalid value: \"%s\"", watch));
      return TRUE;
    }
  if (!watching)
    return FALSE;

  if (!parse_route (self, request->path, &route) || route.kind != ROUTE_RESOURCE)
    send_reply (msg, request, not_found (NULL, NULL));
  else if (!g_str_equal (request->method, "GET"))
    send_reply (msg, request, method_not_allowed ());
  else if (route.name != NULL)
    send_reply (msg, request, fail (400, "BadRequest", "the fake API server watches "
                                    "collections only; use a fieldSelector on metadata.name"));
  else
    serve_watch (self, msg, request, &route);
  return TRUE;
}

static void
hung_finished_cb (SoupServerMessage *msg,
                  DrFakeApiserver   *self)
{
  g_ptr_array_remove (self->hung, msg);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  DrFakeApiserver *self = user_data;
  DrFakeRequest *request = record_request (self, msg, query);
  Fault *fault = g_queue_pop_head (&self->faults);
  Reply reply;

  if (fault != NULL && fault->hang)
    {
      if (fault->reached != NULL)
        *fault->reached = TRUE;
      soup_server_message_pause (msg);
      g_ptr_array_add (self->hung, msg);
      g_signal_connect (msg, "finished", G_CALLBACK (hung_finished_cb), self);
      fault_free (fault);
      return;
    }
  if (fault != NULL && fault->trickle_ms > 0)
    {
      Trickle *trickle = g_new0 (Trickle, 1);

      trickle->list = self->trickles;
      g_ptr_array_add (self->trickles, trickle);
      trickle->msg = msg;
      trickle->size = fault->trickle_size;
      trickle->chunk = g_malloc (trickle->size);
      memset (trickle->chunk, ' ', trickle->size);
      trickle->chunk[0] = '[';
      trickle->until = g_get_monotonic_time () + TRICKLE_MAX_SECONDS * G_USEC_PER_SEC;
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Type", "application/json");
      trickle->source = g_timeout_add (fault->trickle_ms, trickle_cb, trickle);
      g_signal_connect (msg, "finished", G_CALLBACK (trickle_finished_cb), trickle);
      request->status = 200;
      fault_free (fault);
      return;
    }
  if (fault != NULL)
    {
      soup_server_message_set_status (msg, fault->status, NULL);
      if (fault->retry_after >= 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%d", fault->retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", seconds);
        }
      soup_server_message_set_response (msg, fault->content_type, SOUP_MEMORY_COPY, fault->body,
                                        strlen (fault->body));
      request->status = fault->status;
      fault_free (fault);
      return;
    }

  if (!authenticated (self, msg, request))
    reply = fail (401, "Unauthorized", "Unauthorized");
  else if (serve_stream (self, msg, request))
    return;
  else
    reply = dispatch (self, request);

  reply_json (msg, reply.status, reply.body);
  request->status = reply.status;
  json_node_unref (reply.body);
}

/* The verdict on a client certificate is the handler's (401, as the real server answers a
 * request without valid credentials), so the handshake accepts whatever is offered. */
static gboolean
accept_client_certificate_cb (SoupServerMessage    *msg,
                              GTlsCertificate      *certificate,
                              GTlsCertificateFlags  errors,
                              gpointer              user_data)
{
  return TRUE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_client_certificate_cb), NULL);
}

/* ---- Public API -------------------------------------------------------------------------- */

DrFakeApiserver *
dr_fake_apiserver_new (DrTestPki            *pki,
                       DrFakeApiserverFlags  flags)
{
  DrFakeApiserver *self = g_new0 (DrFakeApiserver, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;

  g_assert (pki != NULL || !(flags & DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT));

  self->flags = flags;
  self->types = g_ptr_array_new_with_free_func (resource_type_free);
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stored_free);
  self->events = g_ptr_array_new_with_free_func (event_free);
  self->streams = g_ptr_array_new_with_free_func (stream_free);
  self->logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pod_log_free);
  self->expired_style = DR_FAKE_EXPIRED_EVENT;
  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->hung = g_ptr_array_new ();
  self->trickles = g_ptr_array_new ();
  g_queue_init (&self->faults);
  /* Like a fresh cluster, resourceVersions do not start at 1. */
  self->resource_version = 1000;

  self->server = soup_server_new ("server-header", "deskrun-fake-apiserver ", NULL);
  if (pki != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      certificate = g_tls_certificate_new_from_files (pki->server_cert_path,
                                                      pki->server_key_path, &error);
      g_assert_no_error (error);
      soup_server_set_tls_certificate (self->server, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;

      if (flags & DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT)
        {
          g_autoptr(GTlsDatabase) database = g_tls_file_database_new (pki->ca_path, &error);

          g_assert_no_error (error);
          soup_server_set_tls_database (self->server, database);
          soup_server_set_tls_auth_mode (self->server, G_TLS_AUTHENTICATION_REQUESTED);
          g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb),
                            NULL);
        }
    }
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);

  soup_server_listen_local (self->server, 0, options, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("%s://127.0.0.1:%d", pki != NULL ? "https" : "http",
                               g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  return self;
}

void
dr_fake_apiserver_free (DrFakeApiserver *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->hung->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->hung, i), self);
  for (guint i = 0; i < self->trickles->len; i++)
    {
      Trickle *trickle = g_ptr_array_index (self->trickles, i);

      g_signal_handlers_disconnect_by_data (trickle->msg, trickle);
      trickle_free (trickle);
    }
  g_ptr_array_unref (self->trickles);
  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (self->streams, i);

      g_signal_handlers_disconnect_by_data (stream->msg, stream);
    }
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->streams);
  g_hash_table_unref (self->logs);

  g_queue_clear_full (&self->faults, fault_free);
  g_ptr_array_unref (self->hung);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->events);
  g_hash_table_unref (self->objects);
  g_ptr_array_unref (self->types);
  g_free (self->token);
  g_free (self->url);
  g_free (self);
}

const char *
dr_fake_apiserver_get_url (DrFakeApiserver *self)
{
  return self->url;
}

void
dr_fake_apiserver_register (DrFakeApiserver *self,
                            const char      *api_version,
                            const char      *kind,
                            const char      *plural,
                            gboolean         namespaced)
{
  ResourceType *type = g_new0 (ResourceType, 1);
  const char *slash = strchr (api_version, '/');

  type->group = slash != NULL ? g_strndup (api_version, slash - api_version) : g_strdup ("");
  type->version = g_strdup (slash != NULL ? slash + 1 : api_version);
  type->api_version = g_strdup (api_version);
  type->kind = g_strdup (kind);
  type->plural = g_strdup (plural);
  type->namespaced = namespaced;
  /* Built-in groups are the core group, the unqualified ones (apps, batch) and *.k8s.io;
   * custom resources (actions.github.com) take no strategic merge patch. */
  type->builtin = strchr (type->group, '.') == NULL || g_str_has_suffix (type->group, ".k8s.io");

  g_assert_null (lookup_type (self, type->group, type->version, plural));
  g_ptr_array_add (self->types, type);
}

void
dr_fake_apiserver_register_defaults (DrFakeApiserver *self)
{
  static const struct {
    const char *api_version;
    const char *kind;
    const char *plural;
    gboolean namespaced;
  } defaults[] = {
    { "v1", "Namespace", "namespaces", FALSE },
    { "v1", "ConfigMap", "configmaps", TRUE },
    { "v1", "Secret", "secrets", TRUE },
    { "v1", "ServiceAccount", "serviceaccounts", TRUE },
    { "v1", "Pod", "pods", TRUE },
    { "apps/v1", "Deployment", "deployments", TRUE },
    { "rbac.authorization.k8s.io/v1", "Role", "roles", TRUE },
    { "rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", TRUE },
    { "rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", FALSE },
    { "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", FALSE },
    { "apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions",
      FALSE },
    { "actions.github.com/v1alpha1", "AutoscalingRunnerSet", "autoscalingrunnersets", TRUE },
    { "actions.github.com/v1alpha1", "AutoscalingListener", "autoscalinglisteners", TRUE },
    { "actions.github.com/v1alpha1", "EphemeralRunnerSet", "ephemeralrunnersets", TRUE },
    { "actions.github.com/v1alpha1", "EphemeralRunner", "ephemeralrunners", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    dr_fake_apiserver_register (self, defaults[i].api_version, defaults[i].kind,
                                defaults[i].plural, defaults[i].namespaced);
}

void
dr_fake_apiserver_require_token (DrFakeApiserver *self,
                                 const char      *token)
{
  g_free (self->token);
  self->token = g_strdup (token);
}

char *
dr_fake_apiserver_add (DrFakeApiserver *self,
                       const char      *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_auto(Route) route = { 0, };
  JsonObject *root;
  JsonObject *metadata;
  Reply reply;
  char *path;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  root = json_node_get_object (node);
  metadata = get_object_member (root, "metadata");
  route.kind = ROUTE_RESOURCE;
  route.type = lookup_type_by_kind (self, get_string_member (root, "apiVersion"),
                                    get_string_member (root, "kind"));
  if (route.type == NULL)
    g_error ("dr_fake_apiserver_add: %s %s is not registered",
             get_string_member (root, "apiVersion"), get_string_member (root, "kind"));
  if (route.type->namespaced)
    route.namespace_ = g_strdup (get_string_member (metadata, "namespace"));
  g_assert_true (!route.type->namespaced || route.namespace_ != NULL);

  reply = create_object (self, &route, node, FALSE, "deskrun-test", "Update");
  if (reply.status != 201)
    {
      g_autofree char *text = json_to_string (reply.body, FALSE);

      g_error ("dr_fake_apiserver_add: %u %s", reply.status, text);
    }
  metadata = metadata_of (reply.body);
  path = object_path (route.type, route.namespace_, get_string_member (metadata, "name"));
  json_node_unref (reply.body);
  return path;
}

JsonNode *
dr_fake_apiserver_get_object (DrFakeApiserver *self,
                              const char      *path)
{
  g_auto(Route) route = { 0, };
  Stored *stored;

  if (!parse_route (self, path, &route) || route.kind != ROUTE_RESOURCE || route.name == NULL)
    return NULL;
  stored = lookup_stored (self, route.type, route.namespace_, route.name);
  return stored != NULL ? deep_copy (stored->object) : NULL;
}

guint
dr_fake_apiserver_get_n_objects (DrFakeApiserver *self)
{
  return g_hash_table_size (self->objects);
}

guint64
dr_fake_apiserver_get_resource_version (DrFakeApiserver *self)
{
  return self->resource_version;
}

void
dr_fake_apiserver_compact (DrFakeApiserver *self)
{
  self->compacted = self->resource_version;
}

guint
dr_fake_apiserver_get_n_events (DrFakeApiserver *self)
{
  return self->events->len;
}

const DrFakeEvent *
dr_fake_apiserver_get_event (DrFakeApiserver *self,
                             guint            index)
{
  g_assert_cmpuint (index, <, self->events->len);
  return &((Event *) g_ptr_array_index (self->events, index))->event;
}

guint
dr_fake_apiserver_count_requests (DrFakeApiserver *self,
                                  const char      *method,
                                  const char      *path)
{
  guint count = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      DrFakeRequest *request = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (method, request->method)) &&
          (path == NULL || g_str_equal (path, request->path)))
        count++;
    }
  return count;
}

const DrFakeRequest *
dr_fake_apiserver_get_request (DrFakeApiserver *self,
                               guint            index)
{
  g_assert_cmpuint (index, <, self->requests->len);
  return g_ptr_array_index (self->requests, index);
}

const DrFakeRequest *
dr_fake_apiserver_get_last_request (DrFakeApiserver *self)
{
  g_assert_cmpuint (self->requests->len, >, 0);
  return g_ptr_array_index (self->requests, self->requests->len - 1);
}

void
dr_fake_apiserver_fail_next (DrFakeApiserver *self,
                             guint            status,
                             const char      *message,
                             int              retry_after)
{
  g_autoptr(JsonNode) body = status_object (status, NULL, message, NULL, NULL);
  Fault *fault = g_new0 (Fault, 1);

  fault->status = status;
  fault->content_type = g_strdup ("application/json");
  fault->body = json_to_string (body, FALSE);
  fault->retry_after = retry_after;
  g_queue_push_tail (&self->faults, fault);
}

void
dr_fake_apiserver_reply_next (DrFakeApiserver *self,
                              guint            status,
                              const char      *content_type,
                              const char      *body)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->status = status;
  fault->content_type = g_strdup (content_type);
  fault->body = g_strdup (body);
  fault->retry_after = -1;
  g_queue_push_tail (&self->faults, fault);
}

void
dr_fake_apiserver_hang_next (DrFakeApiserver *self,
                             gboolean        *reached)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->hang = TRUE;
  fault->reached = reached;
  fault->retry_after = -1;
  g_queue_push_tail (&self->faults, fault);
}

void
dr_fake_apiserver_trickle_next (DrFakeApiserver *self,
                                guint            interval_ms,
                                gsize            chunk_size)
{
  Fault *fault = g_new0 (Fault, 1);

  g_return_if_fail (interval_ms > 0 && chunk_size > 0);
  fault->trickle_ms = interval_ms;
  fault->trickle_size = chunk_size;
  fault->retry_after = -1;
  g_queue_push_tail (&self->faults, fault);
}

/* ---- Test hooks: objects, watches, logs -------------------------------------------------- */

static Stored *
stored_at (DrFakeApiserver *self,
           const char      *path)
{
  g_auto(Route) route = { 0, };
  Stored *stored = NULL;

  if (parse_route (self, path, &route) && route.kind == ROUTE_RESOURCE && route.name != NULL)
    stored = lookup_stored (self, route.type, route.namespace_, route.name);
  if (stored == NULL)
    g_error ("the fake API server has no object at %s", path);
  return stored;
}

void
dr_fake_apiserver_patch (DrFakeApiserver *self,
                         const char      *path,
                         const char      *merge_patch_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patch = json_from_string (merge_patch_json, &error);
  Stored *stored = stored_at (self, path);
  g_autoptr(JsonNode) target = NULL;
  Reply reply;

  g_assert_no_error (error);
  target = deep_copy (stored->object);
  reply = update_object (self, stored, merge_patch (target, patch), FALSE, "deskrun-test",
                         "Update");
  if (reply.status != 200)
    {
      g_autofree char *text = json_to_string (reply.body, FALSE);

      g_error ("dr_fake_apiserver_patch: %u %s", reply.status, text);
    }
  json_node_unref (reply.body);
}

void
dr_fake_apiserver_delete (DrFakeApiserver *self,
                          const char      *path)
{
  delete_object (self, stored_at (self, path), FALSE);
}

void
dr_fake_apiserver_set_expired_style (DrFakeApiserver    *self,
                                     DrFakeExpiredStyle  style)
{
  self->expired_style = style;
}

guint
dr_fake_apiserver_get_n_watches (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) watches = open_streams (self, STREAM_WATCH);

  return watches->len;
}

void
dr_fake_apiserver_send_bookmark (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) watches = open_streams (self, STREAM_WATCH);
  g_autofree char *rv = rv_string (self->resource_version);

  for (guint i = 0; i < watches->len; i++)
    {
      Stream *stream = g_ptr_array_index (watches, i);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) object = NULL;

      if (!stream->bookmarks)
        continue;
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, stream->type->kind);
      json_builder_set_member_name (builder, "apiVersion");
      json_builder_add_string_value (builder, stream->type->api_version);
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "resourceVersion");
      json_builder_add_string_value (builder, rv);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      object = json_builder_get_root (builder);
      watch_send (stream, "BOOKMARK", object);
    }
}

guint
dr_fake_apiserver_drop_watches (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) watches = open_streams (self, STREAM_WATCH);

  for (guint i = 0; i < watches->len; i++)
    stream_drop (g_ptr_array_index (watches, i));
  return watches->len;
}

guint
dr_fake_apiserver_end_watches (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) watches = open_streams (self, STREAM_WATCH);

  for (guint i = 0; i < watches->len; i++)
    stream_end (g_ptr_array_index (watches, i));
  return watches->len;
}

static Stored *
pod_at (DrFakeApiserver *self,
        const char      *namespace_,
        const char      *pod)
{
  ResourceType *type = lookup_type (self, "", "v1", "pods");
  Stored *stored = type != NULL ? lookup_stored (self, type, namespace_, pod) : NULL;

  if (stored == NULL)
    g_error ("the fake API server has no pod %s/%s", namespace_, pod);
  return stored;
}

/* Timestamps as the kubelet writes them (RFC 3339, nanoseconds, trailing zeros cut), strictly
 * increasing. */
static LogLine *
log_line_new (DrFakeApiserver *self,
              const char      *text)
{
  gint64 now = g_get_real_time ();
  gint64 seconds = now / G_USEC_PER_SEC;
  guint32 nanos = (now % G_USEC_PER_SEC) * 1000;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *base = NULL;
  char fraction[16] = "";
  LogLine *line;

  if (seconds < self->last_log_seconds ||
      (seconds == self->last_log_seconds && nanos <= self->last_log_nanos))
    {
      seconds = self->last_log_seconds;
      nanos = self->last_log_nanos + 1;
      if (nanos >= 1000000000)
        {
          seconds++;
          nanos = 0;
        }
    }
  self->last_log_seconds = seconds;
  self->last_log_nanos = nanos;

  time = g_date_time_new_from_unix_utc (seconds);
  base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  if (nanos > 0)
    {
      gsize length;

      g_snprintf (fraction, sizeof fraction, ".%09u", nanos);
      length = strlen (fraction);
      while (fraction[length - 1] == '0')
        fraction[--length] = '\0';
    }

  line = g_new0 (LogLine, 1);
  line->seconds = seconds;
  line->nanos = nanos;
  line->stamp = g_strconcat (base, fraction, "Z", NULL);
  line->text = g_strdup (text);
  return line;
}

void
dr_fake_apiserver_append_log (DrFakeApiserver *self,
                              const char      *namespace_,
                              const char      *pod,
                              const char      *text)
{
  Stored *stored = pod_at (self, namespace_, pod);
  PodLog *log = pod_log_for (self, stored->key);
  g_autoptr(GPtrArray) followers = open_streams (self, STREAM_LOG);
  LogLine *line;

  g_assert_null (strchr (text, '\n'));
  line = log_line_new (self, text);
  g_ptr_array_add (log->current, line);

  for (guint i = 0; i < followers->len; i++)
    {
      Stream *stream = g_ptr_array_index (followers, i);
      g_autofree char *formatted = NULL;

      if (!g_str_equal (stream->pod_key, stored->key))
        continue;
      formatted = format_log_line (line, stream->timestamps);
      stream_write (stream, formatted, strlen (formatted));
    }
}

guint
dr_fake_apiserver_restart_container (DrFakeApiserver *self,
                                     const char      *namespace_,
                                     const char      *pod)
{
  Stored *stored = pod_at (self, namespace_, pod);
  PodLog *log = pod_log_for (self, stored->key);
  guint ended = end_log_streams (self, stored->key);

  g_clear_pointer (&log->previous, g_ptr_array_unref);
  log->previous = g_steal_pointer (&log->current);
  log->current = g_ptr_array_new_with_free_func (log_line_free);
  return ended;
}

guint
dr_fake_apiserver_drop_log_streams (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) logs = open_streams (self, STREAM_LOG);

  for (guint i = 0; i < logs->len; i++)
    stream_drop (g_ptr_array_index (logs, i));
  return logs->len;
}

guint
dr_fake_apiserver_get_n_log_streams (DrFakeApiserver *self)
{
  g_autoptr(GPtrArray) logs = open_streams (self, STREAM_LOG);

  return logs->len;
}

void
dr_fake_apiserver_set_silent_watches (DrFakeApiserver *self,
                                      gboolean         silent)
{
  self->silent_watches = silent;
}
