/* dr-config.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model: runners, cluster, namespaces and the chart registry, and the checks on them.
 * Reading and writing the JSON document is dr-config-json.c; the file itself is
 * host/dr-config-file.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dr-config-private.h"
#include "dr-error.h"
#include "dr-versions.h"

G_DEFINE_FINAL_TYPE (DrConfig, dr_config, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_dr_config_entry_free (DrConfigEntry *entry)
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
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _dr_config_entry_free);
  self->cluster_kind = DR_CLUSTER_KIND_KIND;
  self->cluster_name = g_strdup (DR_DEFAULT_KIND_CLUSTER);
  self->runner_namespace = g_strdup (DR_DEFAULT_RUNNER_NAMESPACE);
  self->controller_namespace = g_strdup (DR_DEFAULT_CONTROLLER_NAMESPACE);
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

/* The name an entry goes by, usable or not: what put_runner() and remove_runner() match. */
const char *
_dr_config_entry_get_name (DrConfigEntry *entry)
{
  JsonObject *object;
  JsonNode *name;

  if (entry->spec != NULL)
    return entry->spec->name;

  if (entry->node == NULL || !JSON_NODE_HOLDS_OBJECT (entry->node))
    return NULL;

  object = json_node_get_object (entry->node);
  name = json_object_get_member (object, "name");
  if (name == NULL || !JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (name);
}

DrConfigEntry *
_dr_config_find_entry (DrConfig   *self,
                       const char *name,
                       gboolean    usable_only,
                       guint      *out_index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i);

      if (usable_only && entry->spec == NULL)
        continue;

      if (g_strcmp0 (_dr_config_entry_get_name (entry), name) == 0)
        {
          if (out_index != NULL)
            *out_index = i;
          return entry;
        }
    }

  return NULL;
}

/* Runners */

guint
dr_config_get_n_runners (DrConfig *self)
{
  guint n = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (((DrConfigEntry *) g_ptr_array_index (self->entries, i))->spec != NULL)
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
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i);

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
  DrConfigEntry *entry;

  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  entry = _dr_config_find_entry (self, name, TRUE, NULL);
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
  DrConfigEntry *entry;
  guint index = 0;

  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dr_runner_spec_validate (spec, error))
    return FALSE;

  /* A usable runner of that name first; otherwise an unusable entry the user is fixing. */
  entry = _dr_config_find_entry (self, spec->name, TRUE, &index);
  if (entry == NULL)
    entry = _dr_config_find_entry (self, spec->name, FALSE, &index);

  if (entry != NULL && entry->spec != NULL && dr_runner_spec_equal (entry->spec, spec))
    return TRUE;

  if (entry == NULL)
    {
      entry = g_new0 (DrConfigEntry, 1);
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
      DrConfigEntry *other = g_ptr_array_index (self->entries, i - 1);

      if (i - 1 != index && g_strcmp0 (_dr_config_entry_get_name (other), spec->name) == 0)
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
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i - 1);

      if (g_strcmp0 (_dr_config_entry_get_name (entry), name) == 0)
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
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i);
      const char *name;
      g_autofree char *message = NULL;

      if (entry->spec != NULL)
        continue;

      /* Numbered from 1 in the order of the file's "runners" list, as a person counts. */
      name = _dr_config_entry_get_name (entry);
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

GStrv
dr_config_dup_credential_ids (DrConfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DR_IS_CONFIG (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      DrConfigEntry *entry = g_ptr_array_index (self->entries, i);
      JsonObject *object = entry->node != NULL && JSON_NODE_HOLDS_OBJECT (entry->node)
                           ? json_node_get_object (entry->node) : NULL;
      JsonNode *credential = object != NULL ? json_object_get_member (object, "credential")
                                            : NULL;
      JsonNode *id = credential != NULL && JSON_NODE_HOLDS_OBJECT (credential)
                     ? json_object_get_member (json_node_get_object (credential), "id") : NULL;

      if (entry->spec != NULL && entry->spec->credential_id != NULL)
        g_strv_builder_add (builder, entry->spec->credential_id);
      else if (id != NULL && JSON_NODE_HOLDS_VALUE (id)
               && json_node_get_value_type (id) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (id));
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

gboolean
_dr_config_get_fail_before_rename (DrConfig *self)
{
  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);

  return self->fail_before_rename;
}

void
_dr_config_set_read_only (DrConfig *self,
                          gboolean  read_only)
{
  g_return_if_fail (DR_IS_CONFIG (self));

  self->read_only = !!read_only;
}
