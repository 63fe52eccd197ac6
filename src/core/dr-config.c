/* dr-config.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dr-config.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-versions.h"

/* One element of the "runners" array, in file order. Entries that cannot be used are kept
 * exactly as they were read so that saving never loses what a hand edit or another deskrun
 * put there. */
typedef struct
{
  JsonNode     *node;     /* the element as read (an object for usable entries) */
  DrRunnerSpec *spec;     /* NULL when the entry cannot be used */
  char         *problem;  /* why it cannot be used, a sentence; NULL when spec is set */
} Entry;

struct _DrConfig
{
  GObject        parent_instance;

  char          *path;
  JsonObject    *root;                  /* the whole document, unknown members included */
  GPtrArray     *entries;               /* element-type Entry */

  DrClusterKind  cluster_kind;
  char          *cluster_name;
  char          *runner_namespace;
  char          *controller_namespace;
  char          *chart_registry;          /* NULL: the default registry */
  char          *chart_registry_problem;  /* why the file's value is not used, or NULL */

  gboolean       read_only;
  gboolean       fail_before_rename;
};

G_DEFINE_FINAL_TYPE (DrConfig, dr_config, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->node, json_node_unref);
  g_clear_pointer (&entry->spec, dr_runner_spec_unref);
  g_clear_pointer (&entry->problem, g_free);
  g_free (entry);
}

static void
dr_config_finalize (GObject *object)
{
  DrConfig *self = DR_CONFIG (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->root, json_object_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->cluster_name, g_free);
  g_clear_pointer (&self->runner_namespace, g_free);
  g_clear_pointer (&self->controller_namespace, g_free);
  g_clear_pointer (&self->chart_registry, g_free);
  g_clear_pointer (&self->chart_registry_problem, g_free);

  G_OBJECT_CLASS (dr_config_parent_class)->finalize (object);
}

static void
dr_config_class_init (DrConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_config_finalize;

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dr_config_init (DrConfig *self)
{
  self->root = json_object_new ();
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->cluster_kind = DR_CLUSTER_KIND_KIND;
  self->cluster_name = g_strdup (DR_DEFAULT_KIND_CLUSTER);
  self->runner_namespace = g_strdup (DR_DEFAULT_RUNNER_NAMESPACE);
  self->controller_namespace = g_strdup (DR_DEFAULT_CONTROLLER_NAMESPACE);
}

char *
dr_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "deskrun", "config.json", NULL);
}

DrConfig *
dr_config_new (const char *path)
{
  DrConfig *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DR_TYPE_CONFIG, NULL);
  self->path = g_strdup (path);

  return self;
}

DrConfig *
dr_config_new_fallback (const char *path)
{
  DrConfig *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = dr_config_new (path);
  /* Anything still at @path is a file dr_config_load() refused and left in place (newer, or
   * broken and impossible to move aside): an empty config must never replace it. */
  self->read_only = g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);

  return self;
}

gboolean
dr_config_is_read_only (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), TRUE);

  return self->read_only;
}

const char *
dr_config_get_path (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  return self->path;
}

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

/* The name an entry goes by, usable or not: what put_runner() and remove_runner() match. */
static const char *
entry_get_name (Entry *entry)
{
  JsonObject *object;
  JsonNode *name;

  if (entry->spec != NULL)
    return entry->spec->name;

  if (entry->node == NULL || !JSON_NODE_HOLDS_OBJECT (entry->node))
    return NULL;

  object = json_node_get_object (entry->node);
  name = json_object_get_member (object, "name");
  if (name == NULL || !node_is_string (name))
    return NULL;

  return json_node_get_string (name);
}

static Entry *
find_entry (DrConfig   *self,
            const char *name,
            gboolean    usable_only,
            guint      *out_index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (usable_only && entry->spec == NULL)
        continue;

      if (g_strcmp0 (entry_get_name (entry), name) == 0)
        {
          if (out_index != NULL)
            *out_index = i;
          return entry;
        }
    }

  return NULL;
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
  for (guint i = 0; i < json_array_get_length (runners); i++)
    {
      JsonNode *node = json_array_get_element (runners, i);
      Entry *entry = g_new0 (Entry, 1);
      g_autoptr(GError) local_error = NULL;

      /* A copy of an object or array node shares the contents, so unknown members stay
       * with the entry. */
      entry->node = json_node_copy (node);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        entry->problem = g_strdup (_("It is not an object in curly braces."));
      else if ((entry->spec = spec_from_object (json_node_get_object (node), &local_error)) == NULL)
        entry->problem = g_strdup (local_error->message);
      else if (find_entry (self, entry->spec->name, TRUE, NULL) != NULL)
        {
          entry->problem = g_strdup_printf (_("An earlier entry already uses the name “%s”."),
                                            entry->spec->name);
          g_clear_pointer (&entry->spec, dr_runner_spec_unref);
        }

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

/* Renames @path to PATH.broken-YYYYMMDD-HHMMSS (never over an existing file) and returns the
 * new name, or NULL with @error. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&aside);
}

static void
set_broken_error (const char  *path,
                  const char  *problem,
                  GError     **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *aside = move_aside (path, &move_error);

  if (aside != NULL)
    g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                 _("The configuration file “%s” cannot be used. %s It was moved, unchanged, to "
                   "“%s”, so that nothing overwrites it."),
                 path, problem, aside);
  else
    g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                 _("The configuration file “%s” cannot be used. %s Moving it aside failed (%s), "
                   "so it was left in place."),
                 path, problem, move_error->message);
}

DrConfig *
dr_config_load (const char  *path,
                GError     **error)
{
  g_autoptr(DrConfig) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *problem = NULL;
  gsize length = 0;
  gint64 newer_version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = dr_config_new (path);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
        problem = g_strdup (_("You do not have permission to read it."));
      else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
        problem = g_strdup (_("It is a directory, not a file."));
      else
        problem = g_strdup_printf (_("Reading it failed (%s)."), local_error->message);

      set_broken_error (path, problem, error);
      return NULL;
    }

  if (!read_document (self, contents, length, &newer_version, &problem))
    {
      if (newer_version > 0)
        {
          g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, newer_version);

          g_set_error (error, DR_ERROR, DR_ERROR_NEWER_CONFIG,
                       _("The configuration file “%s” was written by a newer version of deskrun "
                         "(format %s; this version reads format %d). It was left as it is and "
                         "will not be changed. Update deskrun to use it."),
                       path, version, DR_CONFIG_VERSION);
        }
      else
        set_broken_error (path, problem, error);
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
      Entry *entry = g_ptr_array_index (self->entries, i);

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

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }

      data += written;
      length -= written;
    }

  return TRUE;
}

static void
set_errno_error (GError     **error,
                 int          saved_errno)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

/* Makes the rename itself durable. Some file systems cannot fsync a directory; the file is
 * already complete by then, so that is not worth failing the save for. */
static void
sync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      g_debug ("Could not open %s to sync it: %s", dir, g_strerror (errno));
      return;
    }

  if (fsync (fd) != 0)
    g_debug ("Could not sync %s: %s", dir, g_strerror (errno));
  close (fd);
}

static gboolean
write_atomically (DrConfig    *self,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }

  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }

  if (!write_all (fd, data, length, error))
    goto fail_open;

  if (fsync (fd) != 0)
    {
      set_errno_error (error, errno);
      goto fail_open;
    }

  if (close (fd) != 0)
    {
      set_errno_error (error, errno);
      goto fail_closed;
    }

  if (self->fail_before_rename)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "simulated failure before the rename");
      goto fail_closed;
    }

  if (g_rename (tmp_path, self->path) != 0)
    {
      set_errno_error (error, errno);
      goto fail_closed;
    }

  sync_directory (dir);
  return TRUE;

fail_open:
  close (fd);
fail_closed:
  g_unlink (tmp_path);
  return FALSE;
}

gboolean
dr_config_save (DrConfig  *self,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->read_only)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("Changes cannot be saved: deskrun could not use the configuration file "
                     "“%s” and does not overwrite it. Update deskrun if a newer version wrote "
                     "the file, or move the file away, then start deskrun again."),
                   self->path);
      return FALSE;
    }

  data = dr_config_to_data (self, &length);

  /* What is written must load again: a file the next start would move aside is worse than a
   * save that fails and says so while the old file is still whole. */
  {
    g_autoptr(JsonNode) again = dr_json_parse_data (data, length, &local_error);

    if (again == NULL)
      {
        g_set_error (error, DR_ERROR, DR_ERROR_FAILED,
                     _("Could not save the configuration to “%s”: what would be written does "
                       "not read back (%s). The previous file, if any, is unchanged."),
                     self->path, local_error->message);
        return FALSE;
      }
  }

  if (!write_atomically (self, data, length, &local_error))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_FAILED,
                   _("Could not save the configuration to “%s”: %s. The previous file, if any, "
                     "is unchanged."),
                   self->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Runners */

guint
dr_config_get_n_runners (DrConfig *self)
{
  guint n = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (((Entry *) g_ptr_array_index (self->entries, i))->spec != NULL)
      n++;

  return n;
}

DrRunnerSpec *
dr_config_get_runner (DrConfig *self,
                      guint     position)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->spec == NULL)
        continue;
      if (position == 0)
        return entry->spec;
      position--;
    }

  return NULL;
}

DrRunnerSpec *
dr_config_lookup_runner (DrConfig   *self,
                         const char *name)
{
  Entry *entry;

  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  entry = find_entry (self, name, TRUE, NULL);
  return entry != NULL ? entry->spec : NULL;
}

static JsonNode *
new_object_node (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

gboolean
dr_config_put_runner (DrConfig      *self,
                      DrRunnerSpec  *spec,
                      GError       **error)
{
  Entry *entry;
  guint index = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dr_runner_spec_validate (spec, error))
    return FALSE;

  /* A usable runner of that name first; otherwise an unusable entry the user is fixing. */
  entry = find_entry (self, spec->name, TRUE, &index);
  if (entry == NULL)
    entry = find_entry (self, spec->name, FALSE, &index);

  if (entry != NULL && entry->spec != NULL && dr_runner_spec_equal (entry->spec, spec))
    return TRUE;

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->node = new_object_node ();
      index = self->entries->len;
      g_ptr_array_add (self->entries, entry);
    }
  else if (!JSON_NODE_HOLDS_OBJECT (entry->node))
    {
      g_clear_pointer (&entry->node, json_node_unref);
      entry->node = new_object_node ();
    }

  g_clear_pointer (&entry->spec, dr_runner_spec_unref);
  g_clear_pointer (&entry->problem, g_free);
  entry->spec = dr_runner_spec_copy (spec);

  /* Unusable duplicates of the name would fight with this runner for it. */
  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *other = g_ptr_array_index (self->entries, i - 1);

      if (i - 1 != index && g_strcmp0 (entry_get_name (other), spec->name) == 0)
        g_ptr_array_remove_index (self->entries, i - 1);
    }

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
dr_config_remove_runner (DrConfig   *self,
                         const char *name)
{
  gboolean removed = FALSE;

  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);

      if (g_strcmp0 (entry_get_name (entry), name) == 0)
        {
          g_ptr_array_remove_index (self->entries, i - 1);
          removed = TRUE;
        }
    }

  if (removed)
    g_signal_emit (self, signals[CHANGED], 0);

  return removed;
}

/* Cluster and namespaces */

DrClusterKind
dr_config_get_cluster_kind (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), DR_CLUSTER_KIND_KIND);

  return self->cluster_kind;
}

const char *
dr_config_get_cluster_name (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  return self->cluster_name;
}

void
dr_config_set_cluster (DrConfig      *self,
                       DrClusterKind  kind,
                       const char    *name)
{
  g_return_if_fail (DR_IS_CONFIG (self));
  g_return_if_fail (kind == DR_CLUSTER_KIND_KIND || kind == DR_CLUSTER_KIND_CONTEXT);
  g_return_if_fail (kind == DR_CLUSTER_KIND_KIND || (name != NULL && name[0] != '\0'));

  if (name == NULL || name[0] == '\0')
    name = DR_DEFAULT_KIND_CLUSTER;

  if (self->cluster_kind == kind && g_strcmp0 (self->cluster_name, name) == 0)
    return;

  self->cluster_kind = kind;
  g_free (self->cluster_name);
  self->cluster_name = g_strdup (name);

  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
dr_config_get_runner_namespace (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  return self->runner_namespace;
}

const char *
dr_config_get_controller_namespace (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  return self->controller_namespace;
}

/* Chart registry */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
dr_config_check_chart_registry (const char  *url,
                                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* No message repeats @url: it may hold a password. */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The chart registry address contains a user name or password; "
                             "deskrun pulls the chart anonymously, so give the address "
                             "without them."));
      return FALSE;
    }

  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || host[0] == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The chart registry is not a usable address; give one such as "
                             "https://mirror.example.com or https://mirror.example:5000."));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The chart registry address must not have a query (“?…”) or a "
                             "fragment (“#…”)."));
      return FALSE;
    }

  if (strcmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The chart registry must use https://; http:// is only allowed "
                             "on this computer (localhost, 127.0.0.1 or ::1)."));
      return FALSE;
    }

  return TRUE;
}

const char *
dr_config_get_chart_registry (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  return self->chart_registry;
}

gboolean
dr_config_set_chart_registry (DrConfig    *self,
                              const char  *url,
                              GError     **error)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (url != NULL && !dr_config_check_chart_registry (url, error))
    return FALSE;

  if (g_strcmp0 (self->chart_registry, url) == 0 && self->chart_registry_problem == NULL)
    return TRUE;

  g_free (self->chart_registry);
  self->chart_registry = g_strdup (url);
  g_clear_pointer (&self->chart_registry_problem, g_free);

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

GStrv
dr_config_dup_problems (DrConfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  if (self->chart_registry_problem != NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“chart_registry” in “%s” is not used, and the default "
                                   "registry is used instead: %s It stays in the file "
                                   "unchanged."),
                                 self->path, self->chart_registry_problem);
      g_strv_builder_add (builder, message);
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      const char *name;
      g_autofree char *message = NULL;

      if (entry->spec != NULL)
        continue;

      /* Numbered from 1 in the order of the file's "runners" list, as a person counts. */
      name = entry_get_name (entry);
      if (name != NULL)
        message = g_strdup_printf (_("Runner entry %u (“%s”) in “%s” is not used: %s It stays "
                                     "in the file unchanged."),
                                   i + 1, name, self->path, entry->problem);
      else
        message = g_strdup_printf (_("Runner entry %u in “%s” is not used: %s It stays in the "
                                     "file unchanged."),
                                   i + 1, self->path, entry->problem);
      g_strv_builder_add (builder, message);
    }

  return g_strv_builder_end (builder);
}

void
_dr_config_set_fail_before_rename (DrConfig *self,
                                   gboolean  fail)
{
  g_return_if_fail (DR_IS_CONFIG (self));

  self->fail_before_rename = !!fail;
}
