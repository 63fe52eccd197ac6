/* dr-config-json.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The config's JSON document, bytes in and bytes out: its schema, what is kept of what is not
 * understood, and the check that what is written reads back. No file is touched here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dr-config-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-versions.h"

/* Reading the document */

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A member that must be a string when present. Absent and null give NULL. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     const char **out_value,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!node_is_string (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” must be text in quotes."), member);
      return FALSE;
    }

  *out_value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_required_string (JsonObject  *object,
                     const char  *member,
                     const char **out_value,
                     GError     **error)
{
  if (!get_optional_string (object, member, out_value, error))
    return FALSE;

  if (*out_value == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("“%s” is missing."), member);
      return FALSE;
    }

  return TRUE;
}

/* A member that must be a whole number from 0 to G_MAXUINT when present; absent keeps
 * *out_value as it is. */
static gboolean
get_optional_uint (JsonObject  *object,
                   const char  *member,
                   guint       *out_value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” must be a whole number."), member);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is out of range."), member);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

static gboolean
read_mounts (JsonObject    *object,
             DrRunnerSpec  *spec,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, "mounts");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“mounts” must be a list in square brackets."));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *mount;
      const char *source;
      const char *target;
      const char *type_name;
      DrMountType type = DR_MOUNT_TYPE_DIRECTORY_OR_CREATE;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Mount %u is not an object with “source”, “target” and “type”."),
                       i + 1);
          return FALSE;
        }

      mount = json_node_get_object (element);
      if (!get_optional_string (mount, "source", &source, &local_error)
          || !get_required_string (mount, "target", &target, &local_error)
          || !get_optional_string (mount, "type", &type_name, &local_error)
          || (type_name != NULL && !dr_mount_type_from_string (type_name, &type, &local_error)))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Mount %u: %s"), i + 1, local_error->message);
          return FALSE;
        }

      g_ptr_array_add (spec->mounts, dr_mount_new (source, target, type));
    }

  return TRUE;
}

static gboolean
read_labels (JsonObject    *object,
             DrRunnerSpec  *spec,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, "labels");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“labels” must be a list in square brackets."));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_string (element))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Label %u must be text in quotes."), i + 1);
          return FALSE;
        }
      g_ptr_array_add (spec->labels, g_strdup (json_node_get_string (element)));
    }

  return TRUE;
}

static gboolean
read_credential (JsonObject    *object,
                 DrRunnerSpec  *spec,
                 GError       **error)
{
  JsonNode *node = json_object_get_member (object, "credential");
  JsonObject *credential;
  const char *kind;
  const char *id;
  g_autoptr(GError) local_error = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“credential” must be an object with “kind” and “id”."));
      return FALSE;
    }

  credential = json_node_get_object (node);
  if (!get_required_string (credential, "kind", &kind, &local_error)
      || !dr_credential_kind_from_string (kind, &spec->credential_kind, &local_error)
      || !get_optional_string (credential, "id", &id, &local_error))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Credential: %s"), local_error->message);
      return FALSE;
    }

  g_free (spec->credential_id);
  spec->credential_id = g_strdup (id);
  return TRUE;
}

/* Missing members take the defaults of a new spec, as a hand-written entry would expect. */
static DrRunnerSpec *
spec_from_object (JsonObject  *object,
                  GError     **error)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  const char *name;
  const char *repository;
  const char *mode;
  const char *runner_group;
  g_autofree char *normalized = NULL;

  if (!get_required_string (object, "name", &name, error)
      || !get_required_string (object, "repository", &repository, error)
      || !get_optional_string (object, "mode", &mode, error)
      || (mode != NULL && !dr_container_mode_from_string (mode, &spec->mode, error))
      || !get_optional_uint (object, "min_runners", &spec->min_runners, error)
      || !get_optional_uint (object, "max_runners", &spec->max_runners, error)
      || !get_optional_uint (object, "instances", &spec->instances, error)
      || !read_mounts (object, spec, error)
      || !get_optional_string (object, "runner_group", &runner_group, error)
      || !read_labels (object, spec, error)
      || !read_credential (object, spec, error))
    return NULL;

  normalized = dr_normalize_repository_url (repository, NULL, error);
  if (normalized == NULL)
    return NULL;

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_steal_pointer (&normalized);
  spec->runner_group = g_strdup (runner_group);

  if (!dr_runner_spec_validate (spec, error))
    return NULL;

  return g_steal_pointer (&spec);
}

static gboolean
is_dns_label (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 63)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '-')
      return FALSE;

  return text[0] != '-' && text[len - 1] != '-';
}

/* Returns an object member that must be an object when present, or NULL when absent. */
static gboolean
get_optional_object (JsonObject  *object,
                     const char  *member,
                     JsonObject **out_object,
                     char       **out_problem)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_object = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *out_problem = g_strdup_printf (_("“%s” is not an object in curly braces."), member);
      return FALSE;
    }

  *out_object = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_cluster (DrConfig    *self,
              JsonObject  *root,
              char       **out_problem)
{
  JsonObject *cluster;
  const char *type = NULL;
  const char *name = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!get_optional_object (root, "cluster", &cluster, out_problem))
    return FALSE;
  if (cluster == NULL)
    return TRUE;

  if (!get_optional_string (cluster, "type", &type, &local_error)
      || !get_optional_string (cluster, "name", &name, &local_error))
    {
      *out_problem = g_strdup_printf (_("In “cluster”: %s"), local_error->message);
      return FALSE;
    }

  if (type == NULL || strcmp (type, "kind") == 0)
    {
      self->cluster_kind = DR_CLUSTER_KIND_KIND;
      g_free (self->cluster_name);
      self->cluster_name = g_strdup (name != NULL && name[0] != '\0'
                                     ? name : DR_DEFAULT_KIND_CLUSTER);
    }
  else if (strcmp (type, "context") == 0)
    {
      if (name == NULL || name[0] == '\0')
        {
          *out_problem = g_strdup (_("“cluster” has the type “context” but no “name” saying "
                                     "which kubeconfig context to use."));
          return FALSE;
        }
      self->cluster_kind = DR_CLUSTER_KIND_CONTEXT;
      g_free (self->cluster_name);
      self->cluster_name = g_strdup (name);
    }
  else
    {
      *out_problem = g_strdup_printf (_("“cluster” has the unknown type “%s”; it must be "
                                        "“kind” or “context”."), type);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_namespace (JsonObject  *namespaces,
                const char  *member,
                char       **inout_value,
                char       **out_problem)
{
  const char *value = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!get_optional_string (namespaces, member, &value, &local_error))
    {
      *out_problem = g_strdup_printf (_("In “namespaces”: %s"), local_error->message);
      return FALSE;
    }
  if (value == NULL)
    return TRUE;

  if (!is_dns_label (value))
    {
      *out_problem = g_strdup_printf (_("The namespace “%s” is not a valid Kubernetes "
                                        "namespace name (lowercase letters, digits and “-”, "
                                        "at most 63)."), value);
      return FALSE;
    }

  g_free (*inout_value);
  *inout_value = g_strdup (value);
  return TRUE;
}

/* Not fatal: an unusable value is reported by dr_config_dup_problems(), counts as unset and
 * stays in the document, so saving writes it back. */
static void
read_chart_registry (DrConfig   *self,
                     JsonObject *root)
{
  const char *value = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!get_optional_string (root, "chart_registry", &value, &local_error)
      || (value != NULL && !dr_config_check_chart_registry (value, &local_error)))
    {
      self->chart_registry_problem = g_strdup (local_error->message);
      return;
    }

  self->chart_registry = g_strdup (value);
}

static void
read_runner_entries (DrConfig  *self,
                     JsonArray *runners)
{
  /* The names of the usable entries so far: a lookup per entry keeps a file of 100,000
   * runners linear (a search of the list each time took minutes). */
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (runners); i++)
    {
      JsonNode *node = json_array_get_element (runners, i);
      DrConfigEntry *entry = g_new0 (DrConfigEntry, 1);
      g_autoptr(GError) local_error = NULL;

      /* A copy of an object or array node shares the contents, so unknown members stay
       * with the entry. */
      entry->node = json_node_copy (node);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        entry->problem = g_strdup (_("It is not an object in curly braces."));
      else if ((entry->spec = spec_from_object (json_node_get_object (node), &local_error)) == NULL)
        entry->problem = g_strdup (local_error->message);
      else if (g_hash_table_contains (names, entry->spec->name))
        {
          entry->problem = g_strdup_printf (_("An earlier entry already uses the name “%s”."),
                                            entry->spec->name);
          g_clear_pointer (&entry->spec, dr_runner_spec_unref);
        }
      else
        g_hash_table_add (names, entry->spec->name);

      g_ptr_array_add (self->entries, entry);
    }
}

/* Fills @self from a document. On failure, *out_newer_version is set when the file comes
 * from a newer deskrun; otherwise *out_problem says what is wrong, as a sentence. */
static gboolean
read_document (DrConfig    *self,
               const char  *contents,
               gsize        length,
               gint64      *out_newer_version,
               char       **out_problem)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonNode *version;
  JsonObject *namespaces;
  JsonNode *runners;

  *out_newer_version = 0;

  if (length == 0)
    {
      *out_problem = g_strdup (_("The file is empty."));
      return FALSE;
    }

  /* The safe parser: no nesting deeper than a bound, nothing that would not be written back
   * the way it was read (dr-json.h). */
  root_node = dr_json_parse_data (contents, length, &local_error);
  if (root_node == NULL)
    {
      unsigned int line = 0;
      unsigned int column = 0;
      int consumed = 0;

      /* json-glib says "<data>:LINE:COL: Parse error: …"; say it the way a person reads it. */
      if (sscanf (local_error->message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2
          && consumed > 0)
        {
          const char *detail = local_error->message + consumed;

          if (g_str_has_prefix (detail, "Parse error: "))
            detail += strlen ("Parse error: ");
          *out_problem = g_strdup_printf (_("It is not valid JSON (line %u, column %u: %s)."),
                                          line, column, detail);
        }
      else
        *out_problem = g_strdup_printf (_("It is not valid JSON (%s)."), local_error->message);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      *out_problem = g_strdup (_("It is not a JSON object in curly braces."));
      return FALSE;
    }
  root = json_node_get_object (root_node);

  version = json_object_get_member (root, "version");
  if (version != NULL)
    {
      gint64 value;

      if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
        {
          *out_problem = g_strdup (_("Its “version” is not a whole number."));
          return FALSE;
        }

      value = json_node_get_int (version);
      if (value > DR_CONFIG_VERSION)
        {
          *out_newer_version = value;
          return FALSE;
        }
      if (value < 1)
        {
          *out_problem = g_strdup_printf (_("Its “version” is %d, which no deskrun writes."),
                                          (int) CLAMP (value, G_MININT, G_MAXINT));
          return FALSE;
        }
    }

  if (!read_cluster (self, root, out_problem))
    return FALSE;

  if (!get_optional_object (root, "namespaces", &namespaces, out_problem))
    return FALSE;
  if (namespaces != NULL
      && (!read_namespace (namespaces, "runners", &self->runner_namespace, out_problem)
          || !read_namespace (namespaces, "controller", &self->controller_namespace,
                              out_problem)))
    return FALSE;

  read_chart_registry (self, root);

  runners = json_object_get_member (root, "runners");
  if (runners != NULL && !JSON_NODE_HOLDS_NULL (runners))
    {
      if (!JSON_NODE_HOLDS_ARRAY (runners))
        {
          *out_problem = g_strdup (_("Its “runners” is not a list in square brackets."));
          return FALSE;
        }
      read_runner_entries (self, json_node_get_array (runners));
    }

  g_clear_pointer (&self->root, json_object_unref);
  self->root = json_object_ref (root);

  return TRUE;
}
DrConfig *
dr_config_new_from_json (const char  *path,
                         const char  *data,
                         gsize        length,
                         gint64      *out_newer_version,
                         GError     **error)
{
  g_autoptr(DrConfig) self = NULL;
  g_autofree char *problem = NULL;
  gint64 newer_version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_newer_version != NULL)
    *out_newer_version = 0;

  self = dr_config_new (path);
  if (!read_document (self, data != NULL ? data : "", length, &newer_version, &problem))
    {
      if (newer_version > 0)
        {
          if (out_newer_version != NULL)
            *out_newer_version = newer_version;
          g_set_error (error, DR_ERROR, DR_ERROR_NEWER_CONFIG,
                       "format %" G_GINT64_FORMAT, newer_version);
        }
      else
        g_set_error_literal (error, DR_ERROR, DR_ERROR_BAD_CONFIG, problem);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Writing the document */

static void
update_object_from_spec (JsonObject         *object,
                         const DrRunnerSpec *spec)
{
  JsonArray *mounts = json_array_new ();
  JsonArray *labels = json_array_new ();
  JsonNode *credential_node;
  JsonObject *credential;

  /* json_object_set_*_member() replaces a member where it is, so the order the user sees in
   * the file does not change and unknown members stay untouched. */
  json_object_set_string_member (object, "name", spec->name);
  json_object_set_string_member (object, "repository", spec->repository_url);
  json_object_set_string_member (object, "mode", dr_container_mode_to_string (spec->mode));
  json_object_set_int_member (object, "min_runners", spec->min_runners);
  json_object_set_int_member (object, "max_runners", spec->max_runners);
  json_object_set_int_member (object, "instances", spec->instances);

  for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (spec->mounts, i);
      JsonObject *element = json_object_new ();

      if (mount->source != NULL && mount->source[0] != '\0')
        json_object_set_string_member (element, "source", mount->source);
      else
        json_object_set_null_member (element, "source");
      json_object_set_string_member (element, "target", mount->target);
      json_object_set_string_member (element, "type", dr_mount_type_to_string (mount->type));
      json_array_add_object_element (mounts, element);
    }
  json_object_set_array_member (object, "mounts", mounts);

  if (spec->runner_group != NULL)
    json_object_set_string_member (object, "runner_group", spec->runner_group);
  else
    json_object_set_null_member (object, "runner_group");

  for (guint i = 0; spec->labels != NULL && i < spec->labels->len; i++)
    json_array_add_string_element (labels, g_ptr_array_index (spec->labels, i));
  json_object_set_array_member (object, "labels", labels);

  credential_node = json_object_get_member (object, "credential");
  if (credential_node != NULL && JSON_NODE_HOLDS_OBJECT (credential_node))
    credential = json_node_get_object (credential_node);
  else
    {
      credential = json_object_new ();
      json_object_set_object_member (object, "credential", credential);
    }
  json_object_set_string_member (credential, "kind",
                                 dr_credential_kind_to_string (spec->credential_kind));
  if (spec->credential_id != NULL)
    json_object_set_string_member (credential, "id", spec->credential_id);
  else
    json_object_set_null_member (credential, "id");
}

static JsonObject *
ensure_object_member (JsonObject *object,
                      const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *child;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  child = json_object_new ();
  json_object_set_object_member (object, member, child);
  return child;
}

static char *
dr_config_to_data (DrConfig *self,
                   gsize    *out_length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root_node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *cluster;
  JsonObject *namespaces;
  JsonArray *runners = json_array_new ();
  g_autofree char *data = NULL;
  gsize length = 0;

  json_object_set_int_member (self->root, "version", DR_CONFIG_VERSION);

  cluster = ensure_object_member (self->root, "cluster");
  json_object_set_string_member (cluster, "type",
                                 self->cluster_kind == DR_CLUSTER_KIND_CONTEXT
                                 ? "context" : "kind");
  json_object_set_string_member (cluster, "name", self->cluster_name);

  namespaces = ensure_object_member (self->root, "namespaces");
  json_object_set_string_member (namespaces, "runners", self->runner_namespace);
  json_object_set_string_member (namespaces, "controller", self->controller_namespace);

  if (self->chart_registry != NULL)
    json_object_set_string_member (self->root, "chart_registry", self->chart_registry);
  else if (self->chart_registry_problem == NULL)
    {
      JsonNode *registry = json_object_get_member (self->root, "chart_registry");

      /* Set back to the default; an unusable value from the file stays as it was. */
      if (registry != NULL && !JSON_NODE_HOLDS_NULL (registry))
        json_object_remove_member (self->root, "chart_registry");
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->spec != NULL)
        update_object_from_spec (json_node_get_object (entry->node), entry->spec);
      /* Unusable entries go back exactly as they were read. */
      json_array_add_element (runners, json_node_copy (entry->node));
    }
  json_object_set_array_member (self->root, "runners", runners);

  json_node_set_object (root_node, self->root);
  json_generator_set_root (generator, root_node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  data = json_generator_to_data (generator, &length);

  *out_length = length + 1;
  return g_strconcat (data, "\n", NULL);
}

GBytes *
dr_config_to_json (DrConfig  *self,
                   GError   **error)
{
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) local_error = NULL;
  char *data;
  gsize length = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = dr_config_to_data (self, &length);

  /* What is written must load again: a file the next start would move aside is worse than a
   * save that fails and says so while the old file is still whole. */
  again = dr_json_parse_data (data, length, &local_error);
  if (again == NULL)
    {
      g_free (data);
      g_set_error_literal (error, DR_ERROR, DR_ERROR_FAILED, local_error->message);
      return NULL;
    }

  return g_bytes_new_take (data, length);
}
