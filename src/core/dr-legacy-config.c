/* dr-legacy-config.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Go CLI wrote its config with encoding/json, so the keys are Go field names. Go matches
 * keys to fields without regard to case when it reads, so a hand-edited file may spell them
 * differently; this reader does the same.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dr-error.h"
#include "dr-json.h"
#include "dr-legacy-config.h"

void
dr_legacy_installation_free (DrLegacyInstallation *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->spec, dr_runner_spec_unref);
  g_clear_pointer (&self->credential, dr_credential_free);
  g_free (self);
}

char *
dr_legacy_config_default_path (void)
{
  return g_build_filename (g_get_home_dir (), ".deskrun", "config.json", NULL);
}

/* An exact match first, then one that ignores case, as Go's encoding/json does. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonObjectIter iter;
  const char *member;

  if (node != NULL)
    return node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    if (g_ascii_strcasecmp (member, name) == 0)
      return node;

  return NULL;
}

/* Go writes "" for an empty string and reads null as the zero value; both give NULL here. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char **out_value,
            GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out_value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("“%s” is not text."), name);
      return FALSE;
    }

  *out_value = json_node_get_string (node);
  if ((*out_value)[0] == '\0')
    *out_value = NULL;

  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *name,
         gint64      *out_value,
         GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out_value = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("“%s” is not a whole number."), name);
      return FALSE;
    }

  *out_value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_count (JsonObject  *object,
           const char  *name,
           guint       *out_value,
           GError     **error)
{
  gint64 value;

  if (!get_int (object, name, &value, error))
    return FALSE;

  if (value < 0 || value > G_MAXUINT)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is %s, which is not a possible number of runners."), name, text);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *name,
           GError     **error)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("“%s” is not a list."), name);
      return NULL;
    }

  return json_node_get_array (node);
}

static gboolean
has_mount_target (DrRunnerSpec *spec,
                  const char   *target)
{
  g_autofree char *canonical = g_canonicalize_filename (target, "/");

  for (guint i = 0; i < spec->mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (spec->mounts, i);
      g_autofree char *other = g_canonicalize_filename (mount->target, "/");

      if (strcmp (canonical, other) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Mounts ({Source, Target, Type}), then the deprecated CachePaths ({Target, Source}, and in
 * files older still {MountPath, HostPath}), which were always DirectoryOrCreate. A cache path
 * whose target a mount already covers is the same mount written twice. */
static gboolean
read_mounts (JsonObject    *object,
             DrRunnerSpec  *spec,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonArray *mounts;
  JsonArray *cache_paths;

  mounts = get_array (object, "Mounts", &local_error);
  if (local_error != NULL)
    goto fail;

  for (guint i = 0; mounts != NULL && i < json_array_get_length (mounts); i++)
    {
      JsonNode *node = json_array_get_element (mounts, i);
      JsonObject *mount;
      const char *source;
      const char *target;
      const char *type_name;
      DrMountType type = DR_MOUNT_TYPE_DIRECTORY_OR_CREATE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Mount %u is not an object with Source, Target and Type."), i + 1);
          return FALSE;
        }

      mount = json_node_get_object (node);
      if (!get_string (mount, "Source", &source, &local_error)
          || !get_string (mount, "Target", &target, &local_error)
          || !get_string (mount, "Type", &type_name, &local_error)
          || (type_name != NULL && !dr_mount_type_from_string (type_name, &type, &local_error)))
        goto fail;

      if (target == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("Mount %u has no Target."), i + 1);
          return FALSE;
        }

      g_ptr_array_add (spec->mounts, dr_mount_new (source, target, type));
    }

  cache_paths = get_array (object, "CachePaths", &local_error);
  if (local_error != NULL)
    goto fail;

  for (guint i = 0; cache_paths != NULL && i < json_array_get_length (cache_paths); i++)
    {
      JsonNode *node = json_array_get_element (cache_paths, i);
      JsonObject *cache_path;
      const char *source;
      const char *target;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Cache path %u is not an object with Target and Source."), i + 1);
          return FALSE;
        }

      cache_path = json_node_get_object (node);
      if (get_member (cache_path, "MountPath") != NULL
          || get_member (cache_path, "HostPath") != NULL)
        {
          if (!get_string (cache_path, "HostPath", &source, &local_error)
              || !get_string (cache_path, "MountPath", &target, &local_error))
            goto fail;
        }
      else if (!get_string (cache_path, "Source", &source, &local_error)
               || !get_string (cache_path, "Target", &target, &local_error))
        goto fail;

      if (target == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("Cache path %u has no target."), i + 1);
          return FALSE;
        }

      if (!has_mount_target (spec, target))
        g_ptr_array_add (spec->mounts,
                         dr_mount_new (source, target, DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
    }

  return TRUE;

fail:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Every rule of a spec except the credential reference, which the caller fills in once the
 * credential is in the keyring. */
static gboolean
check_spec (const DrRunnerSpec  *spec,
            GError             **error)
{
  for (int field = 0; field < DR_SPEC_N_FIELDS; field++)
    {
      if (field == DR_SPEC_FIELD_CREDENTIAL)
        continue;
      if (!dr_runner_spec_check_field (spec, field, error))
        return FALSE;
    }

  return TRUE;
}

/* Returns the installation, or NULL with a sentence in @error saying why it is skipped. */
static DrLegacyInstallation *
read_installation (const char  *key,
                   JsonNode    *node,
                   GError     **error)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrCredential) credential = NULL;
  DrLegacyInstallation *installation;
  JsonObject *object;
  const char *name;
  const char *repository;
  const char *mode;
  const char *auth_type;
  const char *auth_value;
  gint64 instances;
  DrRepositoryScope scope;
  DrCredentialKind kind;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("It is not an object."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "Name", &name, error)
      || !get_string (object, "Repository", &repository, error)
      || !get_string (object, "ContainerMode", &mode, error)
      || !get_count (object, "MinRunners", &spec->min_runners, error)
      || !get_count (object, "MaxRunners", &spec->max_runners, error)
      || !get_int (object, "Instances", &instances, error)
      || !read_mounts (object, spec, error)
      || !get_string (object, "AuthType", &auth_type, error)
      || !get_string (object, "AuthValue", &auth_value, error))
    return NULL;

  /* The map key and Name are the same in files the CLI wrote; Name is what it deployed. */
  g_free (spec->name);
  spec->name = g_strdup (name != NULL ? name : key);

  if (repository == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID, _("It has no repository URL."));
      return NULL;
    }
  g_free (spec->repository_url);
  spec->repository_url = dr_normalize_repository_url (repository, &scope, error);
  if (spec->repository_url == NULL)
    return NULL;

  /* The CLI's default mode was kubernetes. */
  if (mode != NULL && !dr_container_mode_from_string (mode, &spec->mode, error))
    return NULL;

  /* Instances was added later: older files have none (0), which meant one. */
  if (instances < 0 || instances > G_MAXUINT)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Its number of instances is out of range."));
      return NULL;
    }
  spec->instances = MAX (instances, 1);

  if (auth_type == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("It does not say how it signs in to GitHub (no AuthType)."));
      return NULL;
    }
  if (!dr_credential_kind_from_string (auth_type, &kind, error))
    return NULL;

  /* The CLI only ever stored a GitHub App's private key: it had no place for the App ID or
   * the installation ID and registered runners with both empty. Inventing them would give a
   * credential that cannot work. */
  if (kind == DR_CREDENTIAL_KIND_GITHUB_APP)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("It uses a GitHub App, and the old configuration does not have the App’s "
                     "App ID and installation ID. Add it again in deskrun with the App ID, the "
                     "installation ID and the private key."));
      return NULL;
    }

  if (auth_value == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("It has no personal access token (AuthValue is empty)."));
      return NULL;
    }

  spec->credential_kind = DR_CREDENTIAL_KIND_PAT;
  credential = dr_credential_new_pat (auth_value);
  if (!dr_credential_validate (credential, scope, error))
    return NULL;

  if (!check_spec (spec, error))
    return NULL;

  installation = g_new0 (DrLegacyInstallation, 1);
  installation->spec = g_steal_pointer (&spec);
  installation->credential = g_steal_pointer (&credential);
  return installation;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const DrLegacyInstallation *ia = *(DrLegacyInstallation * const *) a;
  const DrLegacyInstallation *ib = *(DrLegacyInstallation * const *) b;

  return g_strcmp0 (ia->spec->name, ib->spec->name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
dr_legacy_config_parse (const char  *contents,
                        gssize       length,
                        char       **out_cluster_name,
                        GPtrArray  **out_warnings,
                        GError     **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *installations_node;
  JsonObject *installations = NULL;
  const char *cluster_name = NULL;
  gboolean blank;

  g_return_val_if_fail (contents != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_cluster_name != NULL)
    *out_cluster_name = NULL;
  if (out_warnings != NULL)
    *out_warnings = NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_legacy_installation_free);
  warnings = g_ptr_array_new_with_free_func (g_free);

  if (length < 0)
    length = strlen (contents);

  /* An empty file holds nothing to import, like a missing one. */
  blank = TRUE;
  for (gssize i = 0; i < length && blank; i++)
    blank = g_ascii_isspace (contents[i]);
  if (blank)
    goto done;

  root_node = dr_json_parse_data (contents, length, &local_error);
  if (root_node == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The deskrun CLI configuration is not valid JSON (%s)."),
                   local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The deskrun CLI configuration is not a JSON object."));
      return NULL;
    }
  root = json_node_get_object (root_node);

  if (!get_string (root, "cluster_name", &cluster_name, &local_error))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The deskrun CLI configuration cannot be read: %s"), local_error->message);
      return NULL;
    }

  installations_node = get_member (root, "installations");
  if (installations_node != NULL && !JSON_NODE_HOLDS_NULL (installations_node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (installations_node))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The deskrun CLI configuration cannot be read: “installations” is "
                         "not an object."));
          return NULL;
        }
      installations = json_node_get_object (installations_node);
    }

  /* In key order, so that which of two same-named installations wins does not depend on
   * the order of the file. */
  keys = g_ptr_array_new ();
  if (installations != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *node;

      json_object_iter_init (&iter, installations);
      while (json_object_iter_next (&iter, &key, &node))
        g_ptr_array_add (keys, (gpointer) key);
      g_ptr_array_sort (keys, compare_strings);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autoptr(GError) skip_error = NULL;
      DrLegacyInstallation *installation;

      installation = read_installation (key, json_object_get_member (installations, key),
                                        &skip_error);
      if (installation == NULL)
        {
          g_ptr_array_add (warnings,
                           g_strdup_printf (_("The runner “%s” was not imported: %s"),
                                            key, skip_error->message));
          continue;
        }

      /* A hash set, not a search of the list: linear for any number of runners. */
      if (g_hash_table_contains (names, installation->spec->name))
        {
          g_ptr_array_add (warnings,
                           g_strdup_printf (_("The runner “%s” was not imported: another "
                                              "installation already has the name “%s”."),
                                            key, installation->spec->name));
          g_clear_pointer (&installation, dr_legacy_installation_free);
        }

      if (installation != NULL)
        {
          g_hash_table_add (names, installation->spec->name);
          g_ptr_array_add (result, installation);
        }
    }

  g_ptr_array_sort (result, compare_by_name);

done:
  if (out_cluster_name != NULL)
    *out_cluster_name = g_strdup (cluster_name);
  if (out_warnings != NULL)
    *out_warnings = g_steal_pointer (&warnings);

  return g_steal_pointer (&result);
}
