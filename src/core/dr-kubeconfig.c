/* dr-kubeconfig.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "dr-error.h"
#include "dr-kubeconfig.h"
#include "dr-yaml.h"

/* One named entry of contexts[], clusters[] or users[], with where it came from: messages
 * name the file and the key path ("users[0].user.client-key-data"). */
typedef struct
{
  char       *name;
  JsonObject *body;      /* the "context" / "cluster" / "user" mapping; NULL when absent */
  const char *file;      /* borrowed from DrKubeconfig.sources */
  const char *dir;       /* relative paths resolve against it; borrowed likewise */
  const char *list;      /* "contexts", "clusters", "users" */
  const char *member;    /* "context", "cluster", "user" */
  guint       index;
  const DrKubeconfig *owner;  /* for its file reader */
} Entry;

typedef struct
{
  char *file;   /* as named (for messages) */
  char *dir;    /* absolute directory for relative paths */
} Source;

struct _DrKubeconfig
{
  char      *current_context;
  GPtrArray *contexts;   /* Entry, first definition of each name, file order */
  GPtrArray *clusters;
  GPtrArray *users;
  GPtrArray *sources;    /* Source, the files that were read */
  char      *searched;   /* what was looked at, for "no kubeconfig" messages */
  DrKubeconfigReadFunc read;  /* reads the files it names; NULL: none can be read */
  gpointer   read_data;
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_clear_pointer (&entry->body, json_object_unref);
  g_free (entry);
}

static void
source_free (gpointer data)
{
  Source *source = data;

  g_free (source->file);
  g_free (source->dir);
  g_free (source);
}

DrKubeContext *
dr_kube_context_copy (const DrKubeContext *self)
{
  DrKubeContext *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DrKubeContext, 1);
  copy->context_name = g_strdup (self->context_name);
  copy->cluster_name = g_strdup (self->cluster_name);
  copy->user_name = g_strdup (self->user_name);
  copy->server = g_strdup (self->server);
  copy->namespace_ = g_strdup (self->namespace_);
  copy->certificate_authority = self->certificate_authority ?
                                g_bytes_ref (self->certificate_authority) : NULL;
  copy->client_certificate = self->client_certificate ?
                             g_bytes_ref (self->client_certificate) : NULL;
  copy->client_key = self->client_key ? g_bytes_ref (self->client_key) : NULL;
  copy->token = g_strdup (self->token);
  copy->insecure_skip_tls_verify = self->insecure_skip_tls_verify;
  return copy;
}

void
dr_kube_context_free (DrKubeContext *self)
{
  if (self == NULL)
    return;

  g_free (self->context_name);
  g_free (self->cluster_name);
  g_free (self->user_name);
  g_free (self->server);
  g_free (self->namespace_);
  g_clear_pointer (&self->certificate_authority, g_bytes_unref);
  g_clear_pointer (&self->client_certificate, g_bytes_unref);
  g_clear_pointer (&self->client_key, g_bytes_unref);
  /* The token is a secret: do not leave it in freed memory. */
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self);
}

static DrKubeconfig *
kubeconfig_new (void)
{
  DrKubeconfig *self = g_new0 (DrKubeconfig, 1);

  self->contexts = g_ptr_array_new_with_free_func (entry_free);
  self->clusters = g_ptr_array_new_with_free_func (entry_free);
  self->users = g_ptr_array_new_with_free_func (entry_free);
  self->sources = g_ptr_array_new_with_free_func (source_free);
  return self;
}

void
dr_kubeconfig_free (DrKubeconfig *self)
{
  if (self == NULL)
    return;

  g_free (self->current_context);
  g_ptr_array_unref (self->contexts);
  g_ptr_array_unref (self->clusters);
  g_ptr_array_unref (self->users);
  g_ptr_array_unref (self->sources);
  g_free (self->searched);
  g_free (self);
}

static Entry *
find_entry (GPtrArray  *entries,
            const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->name, name))
        return entry;
    }
  return NULL;
}

static const char *
json_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "mapping";
    case JSON_NODE_ARRAY:
      return "list";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "text";
        case G_TYPE_BOOLEAN:
          return "true/false";
        default:
          return "number";
        }
    }
}

/* Reads one named list of one file into @entries; the first definition of a name wins
 * across files, a name twice in the same file is an error (as kubectl has it). */
static gboolean
merge_list (DrKubeconfig *self,
            JsonObject   *root,
            Source       *source,
            const char   *list,
            const char   *member,
            GPtrArray    *entries,
            GError      **error)
{
  JsonNode *node = json_object_get_member (root, list);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig “%s” is not valid: “%s” must be a list, not %s"),
                   source->file, list, json_type_name (node));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *name_node;
      JsonNode *body_node;
      const char *name;
      Entry *entry;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” is not valid: %s[%u] must be a mapping, not %s"),
                       source->file, list, i, json_type_name (item));
          return FALSE;
        }
      object = json_node_get_object (item);
      name_node = json_object_get_member (object, "name");
      if (name_node == NULL || !JSON_NODE_HOLDS_VALUE (name_node) ||
          json_node_get_value_type (name_node) != G_TYPE_STRING ||
          *json_node_get_string (name_node) == '\0')
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” is not valid: %s[%u].name must be a non-empty "
                         "text"),
                       source->file, list, i);
          return FALSE;
        }
      name = json_node_get_string (name_node);
      if (!g_hash_table_add (seen, (gpointer) name))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” is not valid: %s[%u] repeats the name “%s”"),
                       source->file, list, i, name);
          return FALSE;
        }
      body_node = json_object_get_member (object, member);
      if (body_node != NULL && !JSON_NODE_HOLDS_NULL (body_node) &&
          !JSON_NODE_HOLDS_OBJECT (body_node))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” is not valid: %s[%u].%s must be a mapping, not %s"),
                       source->file, list, i, member, json_type_name (body_node));
          return FALSE;
        }

      /* An earlier file already defined this name: it wins. */
      if (find_entry (entries, name) != NULL)
        continue;

      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (name);
      if (body_node != NULL && JSON_NODE_HOLDS_OBJECT (body_node))
        entry->body = json_object_ref (json_node_get_object (body_node));
      entry->file = source->file;
      entry->dir = source->dir;
      entry->list = list;
      entry->member = member;
      entry->index = i;
      entry->owner = self;
      g_ptr_array_add (entries, entry);
    }

  return TRUE;
}

/* Parses one kubeconfig text and merges it into @self. */
static gboolean
merge_data (DrKubeconfig *self,
            const char   *data,
            gssize        length,
            const char   *file,
            const char   *dir,
            GError      **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonNode *current;
  Source *source;

  root_node = dr_yaml_parse (data, length, file, error);
  if (root_node == NULL)
    return FALSE;

  source = g_new0 (Source, 1);
  source->file = g_strdup (file);
  source->dir = g_strdup (dir);
  g_ptr_array_add (self->sources, source);

  /* An empty file is an empty kubeconfig. */
  if (JSON_NODE_HOLDS_NULL (root_node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The file “%s” is not a kubeconfig: it holds a %s, not a mapping"),
                   file, json_type_name (root_node));
      return FALSE;
    }
  root = json_node_get_object (root_node);

  current = json_object_get_member (root, "current-context");
  if (current != NULL && !JSON_NODE_HOLDS_NULL (current))
    {
      if (!JSON_NODE_HOLDS_VALUE (current) || json_node_get_value_type (current) != G_TYPE_STRING)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” is not valid: current-context must be text, not %s"),
                       file, json_type_name (current));
          return FALSE;
        }
      if (self->current_context == NULL && *json_node_get_string (current) != '\0')
        self->current_context = g_strdup (json_node_get_string (current));
    }

  return merge_list (self, root, source, "contexts", "context", self->contexts, error) &&
         merge_list (self, root, source, "clusters", "cluster", self->clusters, error) &&
         merge_list (self, root, source, "users", "user", self->users, error);
}

static char *
absolute_dir_of (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  return g_path_get_dirname (absolute);
}

/* Reads @path with the caller's reader; NULL with @error (G_FILE_ERROR_NOENT for a missing
 * file) otherwise. */
static GBytes *
read_file (const DrKubeconfig  *self,
           const char          *path,
           GError             **error)
{
  if (self->read == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                           _("no files can be read here"));
      return NULL;
    }
  return self->read (path, self->read_data, error);
}

DrKubeconfig *
dr_kubeconfig_parse_files (const char * const   *paths,
                           DrKubeconfigReadFunc  read,
                           gpointer              user_data,
                           GError              **error)
{
  g_autoptr(DrKubeconfig) self = kubeconfig_new ();
  g_autoptr(GString) searched = g_string_new (NULL);

  g_return_val_if_fail (read != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->read = read;
  self->read_data = user_data;

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      const char *path = paths[i];
      g_autoptr(GBytes) contents = NULL;
      g_autofree char *dir = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length = 0;
      const char *data;

      if (*path == '\0')
        continue;
      if (searched->len > 0)
        g_string_append (searched, ", ");
      g_string_append_printf (searched, "“%s”", path);

      contents = read_file (self, path, &local_error);
      if (contents == NULL)
        {
          /* kubectl skips missing files of a list. */
          if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            continue;
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("Cannot read the kubeconfig “%s”: %s"), path, local_error->message);
          return NULL;
        }

      dir = absolute_dir_of (path);
      data = g_bytes_get_data (contents, &length);
      if (!merge_data (self, data != NULL ? data : "", length, path, dir, error))
        return NULL;
    }

  self->searched = g_string_free (g_steal_pointer (&searched), FALSE);
  return g_steal_pointer (&self);
}

DrKubeconfig *
dr_kubeconfig_parse_data (const char            *data,
                          gssize                 length,
                          const char            *origin,
                          const char            *dir,
                          DrKubeconfigReadFunc   read,
                          gpointer               user_data,
                          GError               **error)
{
  g_autoptr(DrKubeconfig) self = kubeconfig_new ();

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->read = read;
  self->read_data = user_data;

  if (origin == NULL)
    origin = _("the kubeconfig");
  if (!merge_data (self, data != NULL ? data : "", length, origin, dir, error))
    return NULL;
  self->searched = g_strdup_printf ("“%s”", origin);
  return g_steal_pointer (&self);
}

const char *
dr_kubeconfig_get_current_context (DrKubeconfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->current_context;
}

GStrv
dr_kubeconfig_dup_context_names (DrKubeconfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->contexts->len; i++)
    g_strv_builder_add (builder, ((Entry *) g_ptr_array_index (self->contexts, i))->name);
  return g_strv_builder_end (builder);
}

/* Resolving. */

static char *
key_path (const Entry *entry,
          const char  *key)
{
  return g_strdup_printf ("%s[%u].%s.%s", entry->list, entry->index, entry->member, key);
}

static char *
list_context_names (DrKubeconfig *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < self->contexts->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, ((Entry *) g_ptr_array_index (self->contexts, i))->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static JsonNode *
entry_member (const Entry *entry,
              const char  *key)
{
  JsonNode *node;

  if (entry->body == NULL)
    return NULL;
  node = json_object_get_member (entry->body, key);
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

/* A text field: absent, null and "" all give NULL. Never quotes the value. */
static gboolean
get_string (const Entry  *entry,
            const char   *key,
            const char  **out,
            GError      **error)
{
  JsonNode *node = entry_member (entry, key);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = key_path (entry, key);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("In the kubeconfig “%s”, %s must be text, not %s (put it in quotes)"),
                   entry->file, path, json_type_name (node));
      return FALSE;
    }
  if (*json_node_get_string (node) != '\0')
    *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_bool (const Entry  *entry,
          const char   *key,
          gboolean     *out,
          GError      **error)
{
  JsonNode *node = entry_member (entry, key);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = key_path (entry, key);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("In the kubeconfig “%s”, %s must be true or false, not %s"),
                   entry->file, path, json_type_name (node));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Strict base64 as Go's encoding/json reads []byte: the standard alphabet, padded, line
 * breaks ignored. g_base64_decode() alone silently skips garbage. */
static GBytes *
decode_base64 (const Entry  *entry,
               const char   *key,
               const char   *text,
               GError      **error)
{
  g_autoptr(GString) clean = g_string_sized_new (strlen (text));
  gsize padding = 0;
  gboolean valid = TRUE;
  guchar *decoded;
  gsize length = 0;

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '\n' || *c == '\r')
        continue;
      if (*c == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (*c) || *c == '+' || *c == '/'))
        valid = FALSE;
      g_string_append_c (clean, *c);
    }
  if (clean->len == 0 || clean->len % 4 != 0 || padding > 2)
    valid = FALSE;

  if (!valid)
    {
      g_autofree char *path = key_path (entry, key);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("In the kubeconfig “%s”, %s is not valid base64"), entry->file, path);
      return NULL;
    }

  decoded = g_base64_decode (clean->str, &length);
  /* Key material: wipe the intermediate copy. */
  memset (clean->str, 0, clean->len);
  return g_bytes_new_take (decoded, length);
}

static GBytes *
read_referenced_file (const Entry  *entry,
                      const char   *key,
                      const char   *file,
                      GError      **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *contents;

  path = g_path_is_absolute (file) ? g_strdup (file)
                                   : g_canonicalize_filename (file, entry->dir);
  contents = read_file (entry->owner, path, &local_error);
  if (contents == NULL)
    {
      g_autofree char *kpath = key_path (entry, key);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig “%s” names the file “%s” in %s, which cannot be read: %s"),
                   entry->file, path, kpath, local_error->message);
      return NULL;
    }
  return contents;
}

/* @data_key (base64) wins over @file_key (a path), as in kubectl. */
static gboolean
get_pem (const Entry  *entry,
         const char   *data_key,
         const char   *file_key,
         GBytes      **out,
         GError      **error)
{
  const char *data;
  const char *file;

  *out = NULL;
  if (!get_string (entry, data_key, &data, error) ||
      !get_string (entry, file_key, &file, error))
    return FALSE;
  if (data != NULL)
    *out = decode_base64 (entry, data_key, data, error);
  else if (file != NULL)
    *out = read_referenced_file (entry, file_key, file, error);
  else
    return TRUE;
  return *out != NULL;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
check_server (const Entry  *cluster,
              const char   *server,
              GError      **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = key_path (cluster, "server");
  const char *scheme;
  const char *host;

  if (server == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The cluster “%s” in the kubeconfig “%s” has no server address (%s)"),
                   cluster->name, cluster->file, path);
      return FALSE;
    }

  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The cluster “%s” in the kubeconfig “%s” has a server address that is not "
                     "an https:// URL (%s)"),
                   cluster->name, cluster->file, path);
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The cluster “%s” in the kubeconfig “%s” uses plain http to “%s” (%s); "
                     "deskrun only talks http to this computer, use https"),
                   cluster->name, cluster->file, host, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
resolve_cluster (DrKubeContext  *result,
                 const Entry    *cluster,
                 GError        **error)
{
  const char *server;

  if (!get_string (cluster, "server", &server, error) ||
      !check_server (cluster, server, error))
    return FALSE;
  result->server = g_strdup (server);

  if (!get_bool (cluster, "insecure-skip-tls-verify", &result->insecure_skip_tls_verify, error))
    return FALSE;
  return get_pem (cluster, "certificate-authority-data", "certificate-authority",
                  &result->certificate_authority, error);
}

static gboolean
unsupported_auth (const Entry  *context,
                  const Entry  *user,
                  GError      **error)
{
  JsonNode *exec = entry_member (user, "exec");
  JsonNode *provider = entry_member (user, "auth-provider");

  if (exec != NULL)
    {
      const char *command = NULL;
      JsonNode *command_node = JSON_NODE_HOLDS_OBJECT (exec) ?
        json_object_get_member (json_node_get_object (exec), "command") : NULL;

      if (command_node != NULL && JSON_NODE_HOLDS_VALUE (command_node) &&
          json_node_get_value_type (command_node) == G_TYPE_STRING)
        command = json_node_get_string (command_node);
      g_set_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED,
                   _("Context “%s” uses an exec credential plugin (%s), which deskrun does not "
                     "support yet; use a kubeconfig with a client certificate or token"),
                   context->name, command != NULL ? command : _("no command given"));
      return TRUE;
    }
  if (provider != NULL)
    {
      const char *name = NULL;
      JsonNode *name_node = JSON_NODE_HOLDS_OBJECT (provider) ?
        json_object_get_member (json_node_get_object (provider), "name") : NULL;

      if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
          json_node_get_value_type (name_node) == G_TYPE_STRING)
        name = json_node_get_string (name_node);
      g_set_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED,
                   _("Context “%s” uses an auth-provider plugin (%s), which deskrun does not "
                     "support; use a kubeconfig with a client certificate or token"),
                   context->name, name != NULL ? name : _("no name given"));
      return TRUE;
    }

  /* Only presence matters: whatever the value, it is not a credential we can use. */
  if (entry_member (user, "username") != NULL || entry_member (user, "password") != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED,
                   _("Context “%s” uses a username and password (basic authentication), which "
                     "deskrun does not support; use a kubeconfig with a client certificate or "
                     "token"),
                   context->name);
      return TRUE;
    }
  return FALSE;
}

/* A bearer token goes into an HTTP header: visible ASCII only, so that nothing can be
 * smuggled into the request. */
static gboolean
is_token_text (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if ((guchar) *c < 0x21 || (guchar) *c > 0x7E)
      return FALSE;
  return TRUE;
}

static gboolean
resolve_user (DrKubeContext  *result,
              const Entry    *context,
              const Entry    *user,
              GError        **error)
{
  const char *token;
  const char *token_file;

  if (unsupported_auth (context, user, error))
    return FALSE;

  if (!get_pem (user, "client-certificate-data", "client-certificate",
                &result->client_certificate, error) ||
      !get_pem (user, "client-key-data", "client-key", &result->client_key, error))
    return FALSE;
  if ((result->client_certificate == NULL) != (result->client_key == NULL))
    {
      const char *missing = result->client_key == NULL ? "client-key-data"
                                                       : "client-certificate-data";
      g_autofree char *path = key_path (user, missing);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   result->client_key == NULL
                   ? _("The user “%s” in the kubeconfig “%s” has a client certificate but no "
                       "client key (%s or client-key)")
                   : _("The user “%s” in the kubeconfig “%s” has a client key but no client "
                       "certificate (%s or client-certificate)"),
                   user->name, user->file, path);
      return FALSE;
    }

  if (!get_string (user, "token", &token, error) ||
      !get_string (user, "tokenFile", &token_file, error))
    return FALSE;
  /* As in client-go, a token file (re-read when it changes) wins over an inline token. */
  if (token_file != NULL)
    {
      g_autoptr(GBytes) bytes = read_referenced_file (user, "tokenFile", token_file, error);
      g_autofree char *text = NULL;
      gsize length;
      const char *raw;

      if (bytes == NULL)
        return FALSE;
      raw = g_bytes_get_data (bytes, &length);
      /* Surrounding whitespace (a final newline) is not part of the token. */
      text = g_strstrip (g_strndup (raw, length));
      if (memchr (raw, '\0', length) != NULL)
        *text = '\0';
      if (!is_token_text (text))
        {
          g_autofree char *path = key_path (user, "tokenFile");

          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The token file named by %s in the kubeconfig “%s” is empty or does "
                         "not hold a single token"),
                       path, user->file);
          memset (text, 0, strlen (text));
          return FALSE;
        }
      result->token = g_steal_pointer (&text);
    }
  else if (token != NULL)
    {
      if (!is_token_text (token))
        {
          g_autofree char *path = key_path (user, "token");

          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("In the kubeconfig “%s”, %s holds characters a token cannot have "
                         "(spaces, line breaks or control characters)"),
                       user->file, path);
          return FALSE;
        }
      result->token = g_strdup (token);
    }

  return TRUE;
}

DrKubeContext *
dr_kubeconfig_resolve (DrKubeconfig  *self,
                       const char    *context,
                       GError       **error)
{
  g_autoptr(DrKubeContext) result = NULL;
  const Entry *context_entry;
  const Entry *cluster_entry;
  const Entry *user_entry = NULL;
  const char *cluster_name;
  const char *user_name;
  const char *namespace_;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (context == NULL || *context == '\0')
    context = self->current_context;

  if (self->contexts->len == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   self->sources->len == 0
                   ? _("No kubeconfig was found (looked at %s)")
                   : _("The kubeconfig (%s) defines no contexts"),
                   self->searched != NULL && *self->searched != '\0'
                   ? self->searched : _("no files"));
      return NULL;
    }
  if (context == NULL)
    {
      g_autofree char *names = list_context_names (self);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig (%s) sets no current-context; choose one of its contexts: "
                     "%s"),
                   self->searched, names);
      return NULL;
    }
  context_entry = find_entry (self->contexts, context);
  if (context_entry == NULL)
    {
      g_autofree char *names = list_context_names (self);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig (%s) has no context “%s”; it has: %s"),
                   self->searched, context, names);
      return NULL;
    }

  if (!get_string (context_entry, "cluster", &cluster_name, error) ||
      !get_string (context_entry, "user", &user_name, error) ||
      !get_string (context_entry, "namespace", &namespace_, error))
    return NULL;

  if (cluster_name == NULL)
    {
      g_autofree char *path = key_path (context_entry, "cluster");

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("Context “%s” in the kubeconfig “%s” names no cluster (%s)"),
                   context_entry->name, context_entry->file, path);
      return NULL;
    }
  cluster_entry = find_entry (self->clusters, cluster_name);
  if (cluster_entry == NULL)
    {
      g_autofree char *path = key_path (context_entry, "cluster");

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("Context “%s” in the kubeconfig “%s” refers to the cluster “%s” (%s), which "
                     "no kubeconfig file defines"),
                   context_entry->name, context_entry->file, cluster_name, path);
      return NULL;
    }
  /* No user is anonymous access, as in kubectl; a user that is named must exist. */
  if (user_name != NULL)
    {
      user_entry = find_entry (self->users, user_name);
      if (user_entry == NULL)
        {
          g_autofree char *path = key_path (context_entry, "user");

          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("Context “%s” in the kubeconfig “%s” refers to the user “%s” (%s), "
                         "which no kubeconfig file defines"),
                       context_entry->name, context_entry->file, user_name, path);
          return NULL;
        }
    }

  result = g_new0 (DrKubeContext, 1);
  result->context_name = g_strdup (context_entry->name);
  result->cluster_name = g_strdup (cluster_name);
  result->user_name = g_strdup (user_name);
  result->namespace_ = g_strdup (namespace_);

  if (!resolve_cluster (result, cluster_entry, error))
    return NULL;
  if (user_entry != NULL && !resolve_user (result, context_entry, user_entry, error))
    return NULL;

  return g_steal_pointer (&result);
}
