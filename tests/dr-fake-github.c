/* dr-fake-github.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "dr-fake-github.h"
#include "dr-json.h"

#define RATE_LIMIT 5000

typedef struct
{
  guint   status;
  char   *json;
  char   *headers;
} Route;

typedef struct
{
  char              *app_id;
  gnutls_pubkey_t    key;
  gint64             installation_id;
  char              *account;
  char              *permissions_json;
  gint               lifetime;
} App;

typedef struct
{
  DrFakeGithubFault  fault;       /* strings owned */
  guint              left;
} Fault;

struct _DrFakeGithub
{
  SoupServer               *server;
  char                     *url;
  GHashTable               *pats;          /* token -> scopes ("" for fine-grained) */
  GHashTable               *tokens;        /* installation token -> expiry (gint64 *) */
  GPtrArray                *apps;          /* App */
  guint                     tokens_issued;
  GHashTable               *routes;        /* "METHOD path" -> Route */
  GHashTable               *logs;          /* job id string -> text */
  GHashTable               *files;         /* "owner/repo:path" -> GBytes */
  GHashTable               *refs;          /* "owner/repo:heads/x" -> sha */
  GPtrArray                *faults;        /* Fault */
  GPtrArray                *requests;      /* DrFakeGithubRequest */
  GPtrArray                *held;          /* SoupServerMessage never answered */
  DrFakeGithubDispatchMode  dispatch_mode;
  gint64                    dispatch_run_id;
  gint64                    remaining;
  gint64                    reset;
};

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->json);
  g_free (route->headers);
  g_free (route);
}

static void
app_free (gpointer data)
{
  App *app = data;

  g_free (app->app_id);
  gnutls_pubkey_deinit (app->key);
  g_free (app->account);
  g_free (app->permissions_json);
  g_free (app);
}

static void
fault_free (gpointer data)
{
  Fault *fault = data;

  g_free ((char *) fault->fault.method);
  g_free ((char *) fault->fault.path);
  g_free ((char *) fault->fault.message);
  g_free ((char *) fault->fault.headers);
  g_free (fault);
}

static void
request_free (gpointer data)
{
  DrFakeGithubRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->if_none_match);
  g_free (request->accept);
  g_free (request->user_agent);
  g_free (request->api_version);
  g_free (request->content_type);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- answering -------------------------------------------------------------------------- */

static void
add_header_lines (SoupServerMessage *msg,
                  const char        *lines)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_auto(GStrv) parts = NULL;

  if (lines == NULL)
    return;
  parts = g_strsplit (lines, "\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *colon = strchr (parts[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (parts[i], colon - parts[i]);
      soup_message_headers_replace (headers, g_strstrip (name), g_strstrip (colon + 1));
    }
}

static void
rate_headers (DrFakeGithub      *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char value[32];

  if (self->reset <= now_unix ())
    {
      self->reset = now_unix () + 3600;
      self->remaining = RATE_LIMIT;
    }
  soup_message_headers_replace (headers, "x-ratelimit-limit", G_STRINGIFY (RATE_LIMIT));
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, MAX (self->remaining, 0));
  soup_message_headers_replace (headers, "x-ratelimit-remaining", value);
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, RATE_LIMIT - MAX (self->remaining, 0));
  soup_message_headers_replace (headers, "x-ratelimit-used", value);
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, self->reset);
  soup_message_headers_replace (headers, "x-ratelimit-reset", value);
  soup_message_headers_replace (headers, "x-ratelimit-resource", "core");
}

static void
answer (DrFakeGithub      *self,
        SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        const char        *body,
        gssize             length)
{
  DrFakeGithubRequest *request = self->requests->pdata[self->requests->len - 1];

  request->status = status;
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body,
                                      length < 0 ? strlen (body) : (gsize) length);
  soup_server_message_set_status (msg, status, NULL);
}

static void
answer_json (DrFakeGithub      *self,
             SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  g_autofree char *hash = NULL;
  g_autofree char *etag = NULL;

  if (json == NULL || status == 204)
    {
      answer (self, msg, status, NULL, NULL, 0);
      return;
    }

  if (status == 200 && soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    {
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
      etag = g_strdup_printf ("\"%.32s\"", hash);
      soup_message_headers_replace (headers, "ETag", etag);
      if (if_none_match != NULL && strcmp (if_none_match, etag) == 0)
        {
          answer (self, msg, 304, NULL, NULL, 0);
          return;
        }
    }
  answer (self, msg, status, "application/json; charset=utf-8", json, -1);
}

static void
answer_message (DrFakeGithub      *self,
                SoupServerMessage *msg,
                guint              status,
                const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "documentation_url");
  json_builder_add_string_value (builder, "https://docs.github.com/rest");
  json_builder_set_member_name (builder, "status");
  {
    char code[8];

    g_snprintf (code, sizeof code, "%u", status);
    json_builder_add_string_value (builder, code);
  }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  answer (self, msg, status, "application/json; charset=utf-8", text, -1);
}

static const char *
default_message (guint status)
{
  switch (status)
    {
    case 401: return "Bad credentials";
    case 403: return "Resource not accessible by personal access token";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 422: return "Validation Failed";
    case 429: return "API rate limit exceeded";
    case 500: return "Server Error";
    case 502: return "Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* ---- JWTs ------------------------------------------------------------------------------- */

static GBytes *
base64url_decode (const char *text,
                  gsize       length)
{
  g_autoptr(GString) standard = g_string_new_len (text, length);
  guchar *data;
  gsize size = 0;

  for (gsize i = 0; i < standard->len; i++)
    {
      char c = standard->str[i];

      if (c == '-')
        standard->str[i] = '+';
      else if (c == '_')
        standard->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
    }
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  data = g_base64_decode (standard->str, &size);
  return g_bytes_new_take (data, size);
}

/* The App whose key signed @jwt with valid claims, or NULL. */
static App *
verify_jwt (DrFakeGithub *self,
            const char   *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) claims = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *signing_input = NULL;
  JsonObject *object;
  JsonNode *iss;
  g_autofree char *iss_text = NULL;
  gint64 iat, exp, now = now_unix ();

  if (g_strv_length (parts) != 3)
    return NULL;
  header = base64url_decode (parts[0], strlen (parts[0]));
  claims = base64url_decode (parts[1], strlen (parts[1]));
  signature = base64url_decode (parts[2], strlen (parts[2]));
  if (header == NULL || claims == NULL || signature == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (header, NULL),
                                   g_bytes_get_size (header), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "alg", ""), "RS256") != 0)
    return NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (claims, NULL),
                                   g_bytes_get_size (claims), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  iat = json_object_get_int_member_with_default (object, "iat", 0);
  exp = json_object_get_int_member_with_default (object, "exp", 0);
  iss = json_object_get_member (object, "iss");
  if (iss == NULL || !JSON_NODE_HOLDS_VALUE (iss))
    return NULL;
  if (json_node_get_value_type (iss) == G_TYPE_INT64)
    iss_text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (iss));
  else if (json_node_get_value_type (iss) == G_TYPE_STRING)
    iss_text = g_strdup (json_node_get_string (iss));
  else
    return NULL;
  /* GitHub: "iat" not in the future (a little leeway), "exp" after now and no more than 10
   * minutes after iat. */
  if (iat > now + 30 || exp <= now || exp - iat > 600)
    return NULL;

  signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  for (guint i = 0; i < self->apps->len; i++)
    {
      App *app = self->apps->pdata[i];
      gnutls_datum_t data = { (unsigned char *) signing_input, strlen (signing_input) };
      gnutls_datum_t sig = { (unsigned char *) g_bytes_get_data (signature, NULL),
                             g_bytes_get_size (signature) };

      if (strcmp (app->app_id, iss_text) != 0)
        continue;
      if (gnutls_pubkey_verify_data2 (app->key, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig) >= 0)
        return app;
    }
  return NULL;
}

/* ---- paging ----------------------------------------------------------------------------- */

static guint
query_uint (GHashTable *query,
            const char *name,
            guint       fallback)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 number;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, 100000, &number, NULL))
    return fallback;
  return (guint) number;
}

static char *
page_url (DrFakeGithub *self,
          const char   *path,
          GHashTable   *query,
          guint         page)
{
  g_autoptr(GString) url = g_string_new (self->url);
  GHashTableIter iter;
  gpointer key, value;
  gboolean first = TRUE;

  g_string_append (url, path);
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (strcmp (key, "page") == 0)
            continue;
          g_string_append_c (url, first ? '?' : '&');
          first = FALSE;
          g_string_append_uri_escaped (url, key, NULL, FALSE);
          g_string_append_c (url, '=');
          g_string_append_uri_escaped (url, value, NULL, FALSE);
        }
    }
  g_string_append_printf (url, "%cpage=%u", first ? '?' : '&', page);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* One page of a canned list, with its Link header; the JSON text of the page. */
static char *
paginate (DrFakeGithub      *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          const char        *json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;
  const char *member = NULL;
  guint per_page = MIN (query_uint (query, "per_page", 30), 100);
  guint page = query_uint (query, "page", 1);
  guint total, pages;
  g_autoptr(JsonArray) slice = json_array_new ();
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(GString) link = g_string_new (NULL);

  /* Bounded like the client (a test may serve a reply nested 100,000 deep). */
  root = dr_json_parse_data (json, -1, NULL);
  if (root == NULL)
    return g_strdup (json);
  if (JSON_NODE_HOLDS_ARRAY (root))
    items = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              if (member != NULL)
                return g_strdup (json);
              member = l->data;
              items = json_node_get_array (node);
            }
        }
    }
  if (items == NULL)
    return g_strdup (json);

  total = json_array_get_length (items);
  pages = MAX ((total + per_page - 1) / per_page, 1);
  for (guint i = (page - 1) * per_page; i < total && i < page * per_page; i++)
    json_array_add_element (slice, json_node_copy (json_array_get_element (items, i)));

  if (page < pages)
    {
      g_autofree char *next = page_url (self, path, query, page + 1);
      g_autofree char *last = page_url (self, path, query, pages);

      g_string_append_printf (link, "<%s>; rel=\"next\", <%s>; rel=\"last\"", next, last);
    }
  if (page > 1)
    {
      g_autofree char *prev = page_url (self, path, query, page - 1);
      g_autofree char *first = page_url (self, path, query, 1);

      g_string_append_printf (link, "%s<%s>; rel=\"prev\", <%s>; rel=\"first\"",
                              link->len > 0 ? ", " : "", prev, first);
    }
  if (link->len > 0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Link",
                                  link->str);

  if (member == NULL)
    {
      out = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (out, slice);
    }
  else
    {
      JsonObject *copy = json_object_new ();
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          if (strcmp (l->data, member) == 0)
            json_object_set_array_member (copy, member, json_array_ref (slice));
          else
            json_object_set_member (copy, l->data,
                                    json_node_copy (json_object_get_member (object, l->data)));
        }
      out = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (out, copy);
    }
  return json_to_string (out, FALSE);
}

/* ---- routes with behaviour -------------------------------------------------------------- */

static char *
git_blob_sha (GBytes *bytes)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *header = g_strdup_printf ("blob %" G_GSIZE_FORMAT, g_bytes_get_size (bytes));

  g_checksum_update (checksum, (const guchar *) header, strlen (header) + 1);
  g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_strdup (g_checksum_get_string (checksum));
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body->length == 0 ||
      !json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_parser_steal_root (parser);
}

static gboolean
workflow_known (DrFakeGithub *self,
                const char   *owner,
                const char   *repo,
                const char   *workflow)
{
  g_autofree char *key = g_strdup_printf ("GET /repos/%s/%s/actions/workflows", owner, repo);
  Route *route = g_hash_table_lookup (self->routes, key);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *workflows;

  if (route == NULL)
    return TRUE;
  if (!json_parser_load_from_data (parser, route->json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  workflows = json_object_get_array_member (object, "workflows");
  for (guint i = 0; workflows != NULL && i < json_array_get_length (workflows); i++)
    {
      JsonObject *w = json_array_get_object_element (workflows, i);
      const char *path = json_object_get_string_member_with_default (w, "path", "");
      const char *base = strrchr (path, '/') != NULL ? strrchr (path, '/') + 1 : path;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member_with_default (w, "id",
                                                                                      -1));

      if (strcmp (workflow, id) == 0 || strcmp (workflow, path) == 0 ||
          strcmp (workflow, base) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
handle_dispatch (DrFakeGithub      *self,
                 SoupServerMessage *msg,
                 const char        *owner,
                 const char        *repo,
                 const char        *workflow)
{
  g_autoptr(JsonNode) body = parse_body (msg);
  JsonObject *object = body != NULL ? json_node_get_object (body) : NULL;
  JsonNode *ref = object != NULL ? json_object_get_member (object, "ref") : NULL;
  JsonNode *inputs = object != NULL ? json_object_get_member (object, "inputs") : NULL;
  gboolean details = object != NULL &&
                     json_object_get_boolean_member_with_default (object, "return_run_details",
                                                                  FALSE);

  if (!workflow_known (self, owner, repo, workflow))
    {
      answer_message (self, msg, 404, "Not Found");
      return;
    }
  if (ref == NULL || !JSON_NODE_HOLDS_VALUE (ref) || json_node_get_value_type (ref) != G_TYPE_STRING)
    {
      answer_message (self, msg, 422, "Invalid request.\n\n\"ref\" wasn't supplied.");
      return;
    }
  if (inputs != NULL && !JSON_NODE_HOLDS_OBJECT (inputs))
    {
      answer_message (self, msg, 422, "Invalid request.\n\nFor 'properties/inputs', is not an "
                                      "object.");
      return;
    }
  if (inputs != NULL && json_object_get_size (json_node_get_object (inputs)) > 25)
    {
      answer_message (self, msg, 422, "Invalid request.\n\nNo more than 25 inputs.");
      return;
    }

  switch (self->dispatch_mode)
    {
    case DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS:
      if (details)
        {
          g_autofree char *json = g_strdup_printf (
              "{\"workflow_run_id\":%" G_GINT64_FORMAT ",\"run_url\":\"%s/repos/%s/%s/actions/"
              "runs/%" G_GINT64_FORMAT "\",\"html_url\":\"https://github.com/%s/%s/actions/runs/"
              "%" G_GINT64_FORMAT "\"}",
              self->dispatch_run_id, self->url, owner, repo, self->dispatch_run_id, owner, repo,
              self->dispatch_run_id);

          answer_json (self, msg, 200, json);
          return;
        }
      answer (self, msg, 204, NULL, NULL, 0);
      return;
    case DR_FAKE_GITHUB_DISPATCH_CLASSIC:
      answer (self, msg, 204, NULL, NULL, 0);
      return;
    case DR_FAKE_GITHUB_DISPATCH_OLD_GHES:
    default:
      if (object != NULL && json_object_has_member (object, "return_run_details"))
        {
          answer_message (self, msg, 422,
                          "Invalid request.\n\n\"return_run_details\" is not a permitted key.");
          return;
        }
      answer (self, msg, 204, NULL, NULL, 0);
      return;
    }
}

static void
handle_contents (DrFakeGithub      *self,
                 SoupServerMessage *msg,
                 const char        *owner,
                 const char        *repo,
                 const char        *file,
                 GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = g_strdup_printf ("%s/%s:%s", owner, repo, file);
  GBytes *existing = g_hash_table_lookup (self->files, key);

  if (method == SOUP_METHOD_GET)
    {
      g_autofree char *encoded = NULL;
      g_autofree char *sha = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GString) wrapped = g_string_new (NULL);

      if (existing == NULL)
        {
          answer_message (self, msg, 404, "Not Found");
          return;
        }
      encoded = g_base64_encode (g_bytes_get_data (existing, NULL), g_bytes_get_size (existing));
      /* GitHub wraps the base64 content at 60 columns. */
      /* (Bounded by the length: stepping 60 past a shorter tail would read beyond it.) */
      for (gsize i = 0, len = strlen (encoded); i < len; i += 60)
        {
          g_string_append_len (wrapped, encoded + i, MIN (60, len - i));
          g_string_append_c (wrapped, '\n');
        }
      sha = git_blob_sha (existing);
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        const char *base = strrchr (file, '/') != NULL ? strrchr (file, '/') + 1 : file;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "type");
        json_builder_add_string_value (builder, "file");
        json_builder_set_member_name (builder, "encoding");
        json_builder_add_string_value (builder, "base64");
        json_builder_set_member_name (builder, "size");
        json_builder_add_int_value (builder, g_bytes_get_size (existing));
        json_builder_set_member_name (builder, "name");
        json_builder_add_string_value (builder, base);
        json_builder_set_member_name (builder, "path");
        json_builder_add_string_value (builder, file);
        json_builder_set_member_name (builder, "content");
        json_builder_add_string_value (builder, wrapped->str);
        json_builder_set_member_name (builder, "sha");
        json_builder_add_string_value (builder, sha);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        json = json_to_string (root, FALSE);
      }
      answer_json (self, msg, 200, json);
      (void) query;
      return;
    }

  if (method == SOUP_METHOD_PUT)
    {
      g_autoptr(JsonNode) body = parse_body (msg);
      JsonObject *object = body != NULL ? json_node_get_object (body) : NULL;
      const char *message = object != NULL ? json_object_get_string_member_with_default (
                                                 object, "message", NULL) : NULL;
      const char *content = object != NULL ? json_object_get_string_member_with_default (
                                                 object, "content", NULL) : NULL;
      const char *sha = object != NULL ? json_object_get_string_member_with_default (
                                             object, "sha", NULL) : NULL;
      g_autofree char *existing_sha = existing != NULL ? git_blob_sha (existing) : NULL;
      g_autofree char *new_sha = NULL;
      g_autofree char *json = NULL;
      guchar *decoded;
      gsize length = 0;
      GBytes *bytes;

      if (message == NULL || content == NULL)
        {
          answer_message (self, msg, 422, "Invalid request.\n\n\"message\" and \"content\" are "
                                          "required.");
          return;
        }
      for (const char *p = content; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
          {
            answer_message (self, msg, 422, "content is not valid Base64");
            return;
          }
      if (existing != NULL && sha == NULL)
        {
          answer_message (self, msg, 422, "Invalid request.\n\n\"sha\" wasn't supplied.");
          return;
        }
      if (existing != NULL && g_strcmp0 (sha, existing_sha) != 0)
        {
          g_autofree char *conflict = g_strdup_printf ("%s does not match %s", file, sha);

          answer_message (self, msg, 409, conflict);
          return;
        }
      decoded = g_base64_decode (content, &length);
      bytes = g_bytes_new_take (decoded, length);
      new_sha = git_blob_sha (bytes);
      g_hash_table_replace (self->files, g_strdup (key), bytes);
      json = g_strdup_printf ("{\"content\":{\"path\":\"%s\",\"sha\":\"%s\"},"
                              "\"commit\":{\"sha\":\"c0ffee%s\",\"message\":\"x\"}}",
                              file, new_sha, new_sha + 6);
      answer_json (self, msg, existing != NULL ? 200 : 201, json);
      return;
    }

  answer_message (self, msg, 404, "Not Found");
}

static void
handle_refs (DrFakeGithub      *self,
             SoupServerMessage *msg,
             const char        *owner,
             const char        *repo,
             const char        *kind,     /* "ref" or "refs" */
             const char        *name)     /* after kind/, may be NULL */
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = name != NULL ? g_strdup_printf ("%s/%s:%s", owner, repo, name) : NULL;

  if (method == SOUP_METHOD_GET && strcmp (kind, "ref") == 0 && key != NULL)
    {
      const char *sha = g_hash_table_lookup (self->refs, key);
      g_autofree char *json = NULL;

      if (sha == NULL)
        {
          answer_message (self, msg, 404, "Not Found");
          return;
        }
      json = g_strdup_printf ("{\"ref\":\"refs/%s\",\"object\":{\"sha\":\"%s\","
                              "\"type\":\"commit\"}}", name, sha);
      answer_json (self, msg, 200, json);
      return;
    }
  if (method == SOUP_METHOD_POST && strcmp (kind, "refs") == 0 && name == NULL)
    {
      g_autoptr(JsonNode) body = parse_body (msg);
      JsonObject *object = body != NULL ? json_node_get_object (body) : NULL;
      const char *ref = object != NULL ? json_object_get_string_member_with_default (
                                             object, "ref", NULL) : NULL;
      const char *sha = object != NULL ? json_object_get_string_member_with_default (
                                             object, "sha", NULL) : NULL;
      g_autofree char *new_key = NULL;
      g_autofree char *json = NULL;

      if (ref == NULL || sha == NULL || !g_str_has_prefix (ref, "refs/") ||
          strlen (ref) <= strlen ("refs/heads/"))
        {
          answer_message (self, msg, 422, "Reference name must start with 'refs/' and have at "
                                          "least two slashes.");
          return;
        }
      new_key = g_strdup_printf ("%s/%s:%s", owner, repo, ref + strlen ("refs/"));
      if (g_hash_table_contains (self->refs, new_key))
        {
          answer_message (self, msg, 422, "Reference already exists");
          return;
        }
      g_hash_table_replace (self->refs, g_strdup (new_key), g_strdup (sha));
      json = g_strdup_printf ("{\"ref\":\"%s\",\"object\":{\"sha\":\"%s\",\"type\":\"commit\"}}",
                              ref, sha);
      answer_json (self, msg, 201, json);
      return;
    }
  if (method == SOUP_METHOD_DELETE && strcmp (kind, "refs") == 0 && key != NULL)
    {
      if (!g_hash_table_remove (self->refs, key))
        {
          answer_message (self, msg, 422, "Reference does not exist");
          return;
        }
      answer (self, msg, 204, NULL, NULL, 0);
      return;
    }
  answer_message (self, msg, 404, "Not Found");
}

/* ---- the handler ------------------------------------------------------------------------ */

static Fault *
take_fault (DrFakeGithub *self,
            const char   *method,
            const char   *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = self->faults->pdata[i];
      const char *want = fault->fault.path;

      if (fault->fault.method != NULL && strcmp (fault->fault.method, method) != 0)
        continue;
      if (want != NULL)
        {
          gsize length = strlen (want);

          if (length > 0 && want[length - 1] == '*'
              ? strncmp (path, want, length - 1) != 0
              : strcmp (path, want) != 0)
            continue;
        }
      return fault;
    }
  return NULL;
}

static void
apply_fault (DrFakeGithub      *self,
             SoupServerMessage *msg,
             Fault             *fault_in)
{
  DrFakeGithubFault fault = fault_in->fault;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *message = g_strdup (fault.message != NULL ? fault.message
                                                             : default_message (fault.status));

  if (fault.silent)
    {
      /* Accepted, and never answered: the client's deadline must end it. */
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, g_object_ref (msg));
    }
  else
    {
      if (fault.reset_in > 0)
        {
          char value[32];

          self->remaining = 0;
          self->reset = now_unix () + fault.reset_in;
          rate_headers (self, msg);
          g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, self->reset);
          soup_message_headers_replace (headers, "x-ratelimit-reset", value);
        }
      if (fault.retry_after >= 0)
        {
          char value[16];

          g_snprintf (value, sizeof value, "%d", fault.retry_after);
          soup_message_headers_replace (headers, "Retry-After", value);
        }
      add_header_lines (msg, fault.headers);
      answer_message (self, msg, fault.status, message);
    }

  if (--fault_in->left == 0)
    g_ptr_array_remove (self->faults, fault_in);
}

typedef enum
{
  AUTH_NONE,
  AUTH_TOKEN,      /* a PAT or an installation token */
  AUTH_JWT,
} AuthKind;

static gboolean
is_app_endpoint (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  /* /app/..., /repos/O/R/installation, /orgs/O/installation, /users/U/installation */
  if (n >= 2 && strcmp (parts[1], "app") == 0)
    return TRUE;
  if (n == 5 && strcmp (parts[1], "repos") == 0 && strcmp (parts[4], "installation") == 0)
    return TRUE;
  if (n == 4 && (strcmp (parts[1], "orgs") == 0 || strcmp (parts[1], "users") == 0) &&
      strcmp (parts[3], "installation") == 0)
    return TRUE;
  return FALSE;
}

static void
handle_app (DrFakeGithub      *self,
            SoupServerMessage *msg,
            App               *app,
            const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  g_autofree char *installation = g_strdup_printf (
      "{\"id\":%" G_GINT64_FORMAT ",\"account\":{\"login\":\"%s\"},\"app_id\":1,"
      "\"repository_selection\":\"all\",\"permissions\":%s}",
      app->installation_id, app->account, app->permissions_json);

  if (method == SOUP_METHOD_GET && n == 5 && strcmp (parts[1], "repos") == 0)
    {
      if (strcmp (parts[2], app->account) != 0)
        answer_message (self, msg, 404, "Not Found");
      else
        answer_json (self, msg, 200, installation);
      return;
    }
  if (method == SOUP_METHOD_GET && n == 4 && strcmp (parts[3], "installation") == 0)
    {
      if (strcmp (parts[2], app->account) != 0)
        answer_message (self, msg, 404, "Not Found");
      else
        answer_json (self, msg, 200, installation);
      return;
    }
  if (method == SOUP_METHOD_GET && strcmp (path, "/app/installations") == 0)
    {
      g_autofree char *list = g_strdup_printf ("[%s]", installation);

      answer_json (self, msg, 200, list);
      return;
    }
  if (method == SOUP_METHOD_POST && n == 5 && strcmp (parts[2], "installations") == 0 &&
      strcmp (parts[4], "access_tokens") == 0)
    {
      g_autofree char *token = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GDateTime) expires = NULL;
      g_autofree char *expires_text = NULL;
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      gint64 *expiry;

      if (g_ascii_strtoll (parts[3], NULL, 10) != app->installation_id)
        {
          answer_message (self, msg, 404, "Not Found");
          return;
        }
      /* An empty body is allowed; anything else must be a JSON object. */
      if (body->length > 0)
        {
          g_autoptr(JsonNode) parsed = parse_body (msg);

          if (parsed == NULL)
            {
              answer_message (self, msg, 400, "Problems parsing JSON");
              return;
            }
        }
      self->tokens_issued++;
      token = g_strdup_printf ("ghs_fake_%u", self->tokens_issued);
      expiry = g_new (gint64, 1);
      *expiry = now_unix () + app->lifetime;
      expires = g_date_time_new_from_unix_utc (*expiry);
      expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
      g_hash_table_replace (self->tokens, g_strdup (token), expiry);
      json = g_strdup_printf ("{\"token\":\"%s\",\"expires_at\":\"%s\",\"permissions\":%s,"
                              "\"repository_selection\":\"all\"}",
                              token, expires_text, app->permissions_json);
      answer_json (self, msg, 201, json);
      return;
    }
  answer_message (self, msg, 404, "Not Found");
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  DrFakeGithub *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *accept = soup_message_headers_get_one (headers, "Accept");
  const char *user_agent = soup_message_headers_get_one (headers, "User-Agent");
  const char *version = soup_message_headers_get_one (headers, "X-GitHub-Api-Version");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  DrFakeGithubRequest *request = g_new0 (DrFakeGithubRequest, 1);
  g_auto(GStrv) parts = NULL;
  g_autofree char *key = NULL;
  const char *bearer = NULL;
  AuthKind auth = AUTH_NONE;
  App *app = NULL;
  Fault *fault;
  Route *route;
  guint n;

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->authorization = g_strdup (authorization);
  request->if_none_match = g_strdup (soup_message_headers_get_one (headers, "If-None-Match"));
  request->accept = g_strdup (accept);
  request->user_agent = g_strdup (user_agent);
  request->api_version = g_strdup (version);
  request->content_type = g_strdup (content_type);
  request->body = body->length > 0 ? g_bytes_new (body->data, body->length) : NULL;
  request->time_us = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, request);

  /* The pre-signed log URL: not GitHub's API, and it refuses a token, as blob storage
   * does when a client forwards Authorization to it. */
  if (g_str_has_prefix (path, "/_signed/job-logs/"))
    {
      const char *text = g_hash_table_lookup (self->logs, path + strlen ("/_signed/job-logs/"));

      if (authorization != NULL)
        answer (self, msg, 400, "application/xml",
                "<Error><Code>InvalidAuthenticationInfo</Code></Error>", -1);
      else if (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "sig"), "fake") != 0)
        answer (self, msg, 403, "application/xml",
                "<Error><Code>AuthenticationFailed</Code></Error>", -1);
      else if (text == NULL)
        answer (self, msg, 404, "application/xml", "<Error><Code>BlobNotFound</Code></Error>",
                -1);
      else
        answer (self, msg, 200, "text/plain", text, -1);
      return;
    }

  if (user_agent == NULL || *user_agent == '\0')
    {
      answer (self, msg, 403, "text/plain",
              "Request forbidden by administrative rules. Please make sure your request has a "
              "User-Agent header.", -1);
      return;
    }
  if (version != NULL && strcmp (version, "2022-11-28") != 0)
    {
      answer_message (self, msg, 400, "API version is not supported");
      return;
    }
  if (accept != NULL && strstr (accept, "application/vnd.github+json") == NULL &&
      strstr (accept, "application/json") == NULL && strstr (accept, "*/*") == NULL)
    {
      answer_message (self, msg, 415, "Unsupported 'Accept' header");
      return;
    }

  fault = take_fault (self, method, path);
  if (fault != NULL)
    {
      apply_fault (self, msg, fault);
      return;
    }

  rate_headers (self, msg);

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
    bearer = authorization + strlen ("Bearer ");
  else if (authorization != NULL && g_str_has_prefix (authorization, "token "))
    bearer = authorization + strlen ("token ");
  if (bearer != NULL && g_hash_table_contains (self->pats, bearer))
    {
      const char *scopes = g_hash_table_lookup (self->pats, bearer);

      auth = AUTH_TOKEN;
      if (*scopes != '\0')
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "X-OAuth-Scopes", scopes);
    }
  else if (bearer != NULL && g_hash_table_contains (self->tokens, bearer))
    {
      gint64 *expiry = g_hash_table_lookup (self->tokens, bearer);

      if (*expiry > now_unix ())
        auth = AUTH_TOKEN;
    }
  else if (bearer != NULL && strchr (bearer, '.') != NULL)
    {
      app = verify_jwt (self, bearer);
      if (app != NULL)
        auth = AUTH_JWT;
    }

  if (auth == AUTH_NONE)
    {
      answer_message (self, msg, 401, app == NULL && bearer != NULL && strchr (bearer, '.')
                                      ? "A JSON web token could not be decoded"
                                      : "Bad credentials");
      return;
    }
  if (is_app_endpoint (path) != (auth == AUTH_JWT))
    {
      answer_message (self, msg, 401,
                      auth == AUTH_JWT ? "A JSON web token cannot be used for this endpoint"
                                       : "A JSON web token could not be decoded");
      return;
    }

  if ((method == SOUP_METHOD_POST || method == SOUP_METHOD_PUT ||
       g_strcmp0 (method, "PATCH") == 0) &&
      body->length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (g_strcmp0 (content_type, "application/json") != 0 ||
          !json_parser_load_from_data (parser, body->data, body->length, NULL))
        {
          answer_message (self, msg, 400, "Problems parsing JSON");
          return;
        }
    }

  if (auth == AUTH_JWT)
    {
      handle_app (self, msg, app, path);
      return;
    }

  /* Count the request; a 304 is free, which answer_json decides after the fact. */
  self->remaining--;
  rate_headers (self, msg);

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);

  /* /repos/O/R/actions/workflows/W/dispatches */
  if (n == 8 && strcmp (parts[1], "repos") == 0 && strcmp (parts[4], "actions") == 0 &&
      strcmp (parts[5], "workflows") == 0 && strcmp (parts[7], "dispatches") == 0 &&
      method == SOUP_METHOD_POST)
    {
      if (body->length == 0)
        {
          answer_message (self, msg, 422, "Invalid request.\n\n\"ref\" wasn't supplied.");
          return;
        }
      handle_dispatch (self, msg, parts[2], parts[3], parts[6]);
      return;
    }
  /* /repos/O/R/actions/runs/ID/cancel and …/rerun-failed-jobs */
  if (n == 8 && strcmp (parts[1], "repos") == 0 && strcmp (parts[5], "runs") == 0 &&
      method == SOUP_METHOD_POST &&
      (strcmp (parts[7], "cancel") == 0 || strcmp (parts[7], "rerun-failed-jobs") == 0))
    {
      g_autofree char *run_key = g_strdup_printf ("GET /repos/%s/%s/actions/runs/%s", parts[2],
                                                  parts[3], parts[6]);

      if (!g_hash_table_contains (self->routes, run_key))
        answer_message (self, msg, 404, "Not Found");
      else
        answer_json (self, msg, strcmp (parts[7], "cancel") == 0 ? 202 : 201, "{}");
      return;
    }
  /* /repos/O/R/actions/jobs/ID/logs */
  if (n == 8 && strcmp (parts[1], "repos") == 0 && strcmp (parts[5], "jobs") == 0 &&
      strcmp (parts[7], "logs") == 0 && method == SOUP_METHOD_GET)
    {
      g_autofree char *location = NULL;

      if (!g_hash_table_contains (self->logs, parts[6]))
        {
          answer_message (self, msg, 404, "Not Found");
          return;
        }
      location = g_strdup_printf ("%s/_signed/job-logs/%s?sig=fake&se=soon", self->url,
                                  parts[6]);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    location);
      answer (self, msg, 302, NULL, NULL, 0);
      return;
    }
  /* /repos/O/R/contents/PATH… */
  if (n >= 6 && strcmp (parts[1], "repos") == 0 && strcmp (parts[4], "contents") == 0)
    {
      g_autofree char *file = g_strjoinv ("/", parts + 5);

      handle_contents (self, msg, parts[2], parts[3], file, query);
      return;
    }
  /* /repos/O/R/git/ref/… and /repos/O/R/git/refs[/…] */
  if (n >= 6 && strcmp (parts[1], "repos") == 0 && strcmp (parts[4], "git") == 0 &&
      (strcmp (parts[5], "ref") == 0 || strcmp (parts[5], "refs") == 0))
    {
      g_autofree char *name = n > 6 ? g_strjoinv ("/", parts + 6) : NULL;

      handle_refs (self, msg, parts[2], parts[3], parts[5], name);
      return;
    }

  key = g_strdup_printf ("%s %s", method, path);
  route = g_hash_table_lookup (self->routes, key);
  if (route == NULL)
    {
      answer_message (self, msg, 404, "Not Found");
      return;
    }
  add_header_lines (msg, route->headers);
  if (method == SOUP_METHOD_GET && route->status == 200 && route->json != NULL)
    {
      g_autofree char *page = paginate (self, msg, path, query, route->json);

      answer_json (self, msg, 200, page);
    }
  else
    answer_json (self, msg, route->status, route->json);
}

/* A 304 does not count against the limit (FACTS.md §6.1): give the request back. */
static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  DrFakeGithub *self = user_data;

  if (soup_server_message_get_status (msg) == 304)
    self->remaining++;
}

/* ---- set-up ----------------------------------------------------------------------------- */

DrFakeGithub *
dr_fake_github_new (void)
{
  DrFakeGithub *self = g_new0 (DrFakeGithub, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  self->pats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->apps = g_ptr_array_new_with_free_func (app_free);
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->logs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);
  self->refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->faults = g_ptr_array_new_with_free_func (fault_free);
  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->dispatch_run_id = 4242;

  self->server = soup_server_new ("server-header", "fake-github ", NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("fake GitHub: %s", error->message);
  uris = soup_server_get_uris (self->server);
  uri = uris->data;
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
dr_fake_github_free (DrFakeGithub *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->held);
  g_hash_table_unref (self->pats);
  g_hash_table_unref (self->tokens);
  g_ptr_array_unref (self->apps);
  g_hash_table_unref (self->routes);
  g_hash_table_unref (self->logs);
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->refs);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_free (self);
}

const char *
dr_fake_github_get_url (DrFakeGithub *self)
{
  return self->url;
}

void
dr_fake_github_add_pat (DrFakeGithub *self,
                        const char   *token,
                        const char   *scopes)
{
  g_hash_table_replace (self->pats, g_strdup (token), g_strdup (scopes != NULL ? scopes : ""));
}

void
dr_fake_github_add_app (DrFakeGithub *self,
                        const char   *app_id,
                        const char   *public_key_pem,
                        gint64        installation_id,
                        const char   *account,
                        const char   *permissions_json,
                        gint          token_lifetime)
{
  App *app = g_new0 (App, 1);
  gnutls_datum_t pem = { (unsigned char *) public_key_pem, strlen (public_key_pem) };
  int ret;

  gnutls_pubkey_init (&app->key);
  ret = gnutls_pubkey_import (app->key, &pem, GNUTLS_X509_FMT_PEM);
  if (ret < 0)
    g_error ("fake GitHub: the App's public key: %s", gnutls_strerror (ret));
  app->app_id = g_strdup (app_id);
  app->installation_id = installation_id;
  app->account = g_strdup (account);
  app->permissions_json = g_strdup (permissions_json != NULL ? permissions_json : "{}");
  app->lifetime = token_lifetime > 0 ? token_lifetime : 3600;
  g_ptr_array_add (self->apps, app);
}

void
dr_fake_github_revoke_tokens (DrFakeGithub *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    *(gint64 *) value = 0;
}

guint
dr_fake_github_get_tokens_issued (DrFakeGithub *self)
{
  return self->tokens_issued;
}

static Route *
route_for (DrFakeGithub *self,
           const char   *method,
           const char   *path)
{
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  Route *route = g_hash_table_lookup (self->routes, key);

  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->status = 200;
      g_hash_table_replace (self->routes, g_steal_pointer (&key), route);
    }
  return route;
}

void
dr_fake_github_set_json (DrFakeGithub *self,
                         const char   *method,
                         const char   *path,
                         guint         status,
                         const char   *json)
{
  Route *route = route_for (self, method, path);

  route->status = status;
  g_free (route->json);
  route->json = g_strdup (json);
}

void
dr_fake_github_set_headers (DrFakeGithub *self,
                            const char   *method,
                            const char   *path,
                            const char   *headers)
{
  Route *route = route_for (self, method, path);

  g_free (route->headers);
  route->headers = g_strdup (headers);
}

void
dr_fake_github_set_dispatch_mode (DrFakeGithub             *self,
                                  DrFakeGithubDispatchMode  mode,
                                  gint64                    run_id)
{
  self->dispatch_mode = mode;
  self->dispatch_run_id = run_id;
}

void
dr_fake_github_set_job_log (DrFakeGithub *self,
                            gint64        job_id,
                            const char   *text)
{
  g_hash_table_replace (self->logs, g_strdup_printf ("%" G_GINT64_FORMAT, job_id),
                        g_strdup (text));
}

void
dr_fake_github_set_file (DrFakeGithub *self,
                         const char   *owner,
                         const char   *repo,
                         const char   *path,
                         const char   *text)
{
  g_hash_table_replace (self->files, g_strdup_printf ("%s/%s:%s", owner, repo, path),
                        g_bytes_new (text, strlen (text)));
}

GBytes *
dr_fake_github_get_file (DrFakeGithub *self,
                         const char   *owner,
                         const char   *repo,
                         const char   *path)
{
  g_autofree char *key = g_strdup_printf ("%s/%s:%s", owner, repo, path);
  GBytes *bytes = g_hash_table_lookup (self->files, key);

  return bytes != NULL ? g_bytes_ref (bytes) : NULL;
}

void
dr_fake_github_set_ref (DrFakeGithub *self,
                        const char   *owner,
                        const char   *repo,
                        const char   *ref,
                        const char   *sha)
{
  g_hash_table_replace (self->refs, g_strdup_printf ("%s/%s:%s", owner, repo, ref),
                        g_strdup (sha));
}

gboolean
dr_fake_github_has_ref (DrFakeGithub *self,
                        const char   *owner,
                        const char   *repo,
                        const char   *ref)
{
  g_autofree char *key = g_strdup_printf ("%s/%s:%s", owner, repo, ref);

  return g_hash_table_contains (self->refs, key);
}

void
dr_fake_github_add_fault (DrFakeGithub            *self,
                          const DrFakeGithubFault *fault)
{
  Fault *copy = g_new0 (Fault, 1);

  copy->fault = *fault;
  copy->fault.method = g_strdup (fault->method);
  copy->fault.path = g_strdup (fault->path);
  copy->fault.message = g_strdup (fault->message);
  copy->fault.headers = g_strdup (fault->headers);
  copy->left = fault->times > 0 ? fault->times : 1;
  g_ptr_array_add (self->faults, copy);
}

GPtrArray *
dr_fake_github_get_requests (DrFakeGithub *self)
{
  return self->requests;
}

guint
dr_fake_github_count (DrFakeGithub *self,
                      const char   *method,
                      const char   *path_prefix)
{
  guint count = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      DrFakeGithubRequest *request = self->requests->pdata[i];

      if ((method == NULL || strcmp (request->method, method) == 0) &&
          (path_prefix == NULL || g_str_has_prefix (request->path, path_prefix)))
        count++;
    }
  return count;
}

JsonNode *
dr_fake_github_last_body (DrFakeGithub *self,
                          const char   *method,
                          const char   *path_prefix)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      DrFakeGithubRequest *request = self->requests->pdata[i - 1];
      g_autoptr(JsonParser) parser = NULL;

      if ((method != NULL && strcmp (request->method, method) != 0) ||
          (path_prefix != NULL && !g_str_has_prefix (request->path, path_prefix)))
        continue;
      if (request->body == NULL)
        return NULL;
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                                       g_bytes_get_size (request->body), NULL))
        return NULL;
      return json_parser_steal_root (parser);
    }
  return NULL;
}

void
dr_fake_github_clear_requests (DrFakeGithub *self)
{
  g_ptr_array_set_size (self->requests, 0);
}
