/* dr-engine.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cache.h"
#include "dr-config-file.h"
#include "dr-engine-private.h"
#include "dr-error.h"
#include "dr-keyring.h"
#include "dr-legacy-config.h"
#include "dr-runner-private.h"

G_DEFINE_FINAL_TYPE (DrEngine, dr_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG_PROBLEM,
  PROP_KUBE_CLIENT,
  PROP_SYNCED,
  PROP_CLUSTER_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
dr_import_report_free (DrImportReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->imported);
  g_strfreev (report->warnings);
  g_free (report->legacy_path);
  g_free (report);
}

static void
dr_engine_dispose (GObject *object)
{
  DrEngine *self = DR_ENGINE (object);

  dr_engine_set_cluster (self, NULL);
  dr_engine_set_kube_client (self, NULL);

  G_OBJECT_CLASS (dr_engine_parent_class)->dispose (object);
}

static void
dr_engine_finalize (GObject *object)
{
  DrEngine *self = DR_ENGINE (object);

  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->legacy_config_path, g_free);
  g_clear_pointer (&self->config_problem, g_free);
  g_clear_pointer (&self->cluster_error, g_free);
  g_clear_object (&self->config);
  g_clear_object (&self->runners);
  g_clear_object (&self->operations);

  G_OBJECT_CLASS (dr_engine_parent_class)->finalize (object);
}

static void
dr_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DrEngine *self = DR_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG_PROBLEM:
      g_value_set_string (value, self->config_problem);
      break;
    case PROP_KUBE_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, self->synced);
      break;
    case PROP_CLUSTER_ERROR:
      g_value_set_string (value, self->cluster_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DrEngine *self = DR_ENGINE (object);

  switch (prop_id)
    {
    case PROP_KUBE_CLIENT:
      dr_engine_set_kube_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_engine_class_init (DrEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_engine_dispose;
  object_class->finalize = dr_engine_finalize;
  object_class->get_property = dr_engine_get_property;
  object_class->set_property = dr_engine_set_property;

  properties[PROP_CONFIG_PROBLEM] =
    g_param_spec_string ("config-problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_KUBE_CLIENT] =
    g_param_spec_object ("kube-client", NULL, NULL, DR_TYPE_KUBE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SYNCED] =
    g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CLUSTER_ERROR] =
    g_param_spec_string ("cluster-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_engine_init (DrEngine *self)
{
  self->observing = TRUE;
  self->runners = g_list_store_new (DR_TYPE_RUNNER);
  self->operations = g_list_store_new (DR_TYPE_OPERATION);
  self->removal_timeout_ms = DR_ENGINE_DEFAULT_REMOVAL_TIMEOUT_MS;
  self->listener_grace_ms = DR_ENGINE_DEFAULT_LISTENER_GRACE_MS;
}

DrEngine *
dr_engine_new (const char *config_path,
               const char *legacy_config_path)
{
  DrEngine *self = g_object_new (DR_TYPE_ENGINE, NULL);

  self->config_path = config_path ? g_strdup (config_path) : dr_config_default_path ();
  self->legacy_config_path = legacy_config_path ? g_strdup (legacy_config_path)
                                                : dr_legacy_config_default_path ();
  self->config = dr_config_new (self->config_path);
  return self;
}

static void
set_config_problem (DrEngine   *self,
                    const char *problem)
{
  if (g_strcmp0 (self->config_problem, problem) == 0)
    return;
  g_free (self->config_problem);
  self->config_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG_PROBLEM]);
}

/* Forgets what was observed: not connected, nothing is known about the cluster. */
static void
reset_observed (DrRunner *runner)
{
  DrObserved nothing = { .listener_state = DR_LISTENER_STATE_UNKNOWN };
  GListModel *instances = dr_runner_get_instances (runner);

  for (guint i = 0; i < g_list_model_get_n_items (instances); i++)
    {
      g_autoptr(DrRunnerInstance) instance = g_list_model_get_item (instances, i);

      _dr_runner_instance_update (instance, &nothing);
    }
  g_list_store_remove_all (_dr_runner_get_ephemeral_store (runner));
  _dr_runner_update_observed (runner, &nothing, DR_RUNNER_STATUS_NOT_DEPLOYED, NULL);
}

/* Rebuilds the runner list from the config (and the cluster), keeping the DrRunner objects
 * of runners that are still there so that widgets bound to them stay bound. */
void
_dr_engine_sync_runners (DrEngine *self)
{
  guint n_config = dr_config_get_n_runners (self->config);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *unmanaged = self->observer ? _dr_engine_observer_get_unmanaged (self->observer)
                                        : NULL;

  for (guint i = 0; i < n_config; i++)
    {
      DrRunnerSpec *spec = dr_config_get_runner (self->config, i);
      DrRunner *runner = dr_engine_lookup_runner (self, spec->name);

      if (runner != NULL)
        {
          dr_runner_set_spec (runner, spec);
          g_ptr_array_add (wanted, g_object_ref (runner));
        }
      else
        g_ptr_array_add (wanted, dr_runner_new (spec));
    }

  for (guint i = 0; unmanaged != NULL && i < unmanaged->len; i++)
    {
      DrRunner *runner = g_ptr_array_index (unmanaged, i);

      /* A runner just added under the name of one the cluster has is the configured one. */
      if (dr_config_lookup_runner (self->config, dr_runner_get_name (runner)) == NULL)
        g_ptr_array_add (wanted, g_object_ref (runner));
    }

  g_list_store_splice (self->runners, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runners)),
                       wanted->pdata, wanted->len);

  if (self->observer != NULL)
    _dr_engine_observer_update_runners (self->observer);
}

void
dr_engine_load (DrEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_auto(GStrv) problems = NULL;

  g_return_if_fail (DR_IS_ENGINE (self));

  config = dr_config_load (self->config_path, &error);
  if (config == NULL)
    {
      /* dr_config_new_fallback() is read-only while anything is still at the path (a newer
       * format, a broken file that could not be moved aside), so carrying on never
       * overwrites what the user had. */
      set_config_problem (self, error->message);
      g_clear_object (&self->config);
      self->config = dr_config_new_fallback (self->config_path);
    }
  else
    {
      g_set_object (&self->config, config);
      problems = dr_config_dup_problems (config);
      if (problems != NULL && problems[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv ("\n", problems);
          set_config_problem (self, joined);
        }
      else
        set_config_problem (self, NULL);
    }

  _dr_engine_sync_runners (self);
  _dr_engine_ensure_cluster (self);
}

const char *
dr_engine_get_config_problem (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->config_problem;
}

DrConfig *
dr_engine_get_config (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->config;
}

GListModel *
dr_engine_get_runners (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->runners);
}

DrRunner *
dr_engine_lookup_runner (DrEngine   *self,
                         const char *name)
{
  guint n;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->runners));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->runners), i);

      if (g_strcmp0 (dr_runner_get_name (runner), name) == 0)
        return runner;
    }
  return NULL;
}

/* Scale-set names must be unique in the cluster: "web" with two instances owns "web-1" and
 * "web-2", so a separate runner may not be called "web-1". */
static gboolean
check_names_are_free (DrEngine            *self,
                      const DrRunnerSpec  *spec,
                      const char          *replacing,
                      GError             **error)
{
  g_auto(GStrv) wanted = dr_runner_spec_dup_scale_set_names (spec);
  guint n = dr_config_get_n_runners (self->config);

  if (replacing == NULL && dr_config_lookup_runner (self->config, spec->name) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("A runner named “%s” already exists. Choose another name."), spec->name);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      DrRunnerSpec *other = dr_config_get_runner (self->config, i);
      g_auto(GStrv) taken = NULL;

      /* The runner being edited may keep the scale sets it has. */
      if (g_strcmp0 (other->name, replacing) == 0)
        continue;
      taken = dr_runner_spec_dup_scale_set_names (other);

      for (guint j = 0; wanted[j] != NULL; j++)
        if (g_strv_contains ((const char * const *) taken, wanted[j]))
          {
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The scale set “%s” already belongs to the runner “%s”. Choose another name."),
                         wanted[j], other->name);
            return FALSE;
          }
    }
  return TRUE;
}

static gboolean
check_runner (DrEngine            *self,
              const DrRunnerSpec  *spec,
              const DrCredential  *credential,
              const char          *replacing,
              GError             **error)
{
  DrRepositoryScope scope = DR_REPOSITORY_SCOPE_REPOSITORY;
  g_autofree char *normalized = NULL;

  if (!dr_runner_spec_validate (spec, error))
    return FALSE;
  normalized = dr_normalize_repository_url (spec->repository_url, &scope, error);
  if (normalized == NULL)
    return FALSE;
  if (credential->kind != spec->credential_kind)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The credential does not match the credential type of the runner."));
      return FALSE;
    }
  if (!dr_credential_validate (credential, scope, error))
    return FALSE;
  return check_names_are_free (self, spec, replacing, error);
}

gboolean
_dr_engine_save_or_revert (DrEngine      *self,
                           DrRunnerSpec  *added,
                           DrRunnerSpec  *removed,
                           GError       **error)
{
  if (dr_config_save (self->config, error))
    return TRUE;

  if (added != NULL)
    dr_config_remove_runner (self->config, added->name);
  if (removed != NULL)
    dr_config_put_runner (self->config, removed, NULL);
  return FALSE;
}

typedef struct
{
  DrRunnerSpec *spec;
  char         *credential_id;
  GError       *error;         /* the failure being reported while the rollback runs */
} AddRunnerData;

static void
add_runner_data_free (AddRunnerData *data)
{
  g_clear_pointer (&data->spec, dr_runner_spec_unref);
  g_clear_pointer (&data->credential_id, g_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
add_runner_rollback_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AddRunnerData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The rollback's own failure is secondary: report what made us roll back. */
  if (!dr_keyring_delete_finish (result, &error))
    g_debug ("Could not delete the credential stored for %s: %s", data->spec->name, error->message);

  g_task_return_error (task, g_steal_pointer (&data->error));
}

static void
add_runner_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrEngine *self = g_task_get_source_object (task);
  AddRunnerData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunnerSpec) spec = NULL;
  DrRunner *runner;

  data->credential_id = dr_keyring_store_finish (result, &error);
  if (data->credential_id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  spec = dr_runner_spec_copy (data->spec);
  g_free (spec->credential_id);
  spec->credential_id = g_strdup (data->credential_id);

  if (!check_names_are_free (self, spec, NULL, &error) ||
      !dr_config_put_runner (self->config, spec, &error) ||
      !_dr_engine_save_or_revert (self, spec, NULL, &error))
    {
      data->error = g_steal_pointer (&error);
      dr_keyring_delete_async (data->credential_id, NULL, add_runner_rollback_cb,
                               g_steal_pointer (&task));
      return;
    }

  _dr_engine_sync_runners (self);
  runner = dr_engine_lookup_runner (self, spec->name);
  g_task_return_pointer (task, g_object_ref (runner), g_object_unref);
}

void
dr_engine_add_runner_async (DrEngine            *self,
                            DrRunnerSpec        *spec,
                            const DrCredential  *credential,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  AddRunnerData *data;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (credential != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_add_runner_async);

  if (dr_config_is_read_only (self->config))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NEWER_CONFIG,
                               _("The configuration cannot be changed: %s"),
                               self->config_problem ? self->config_problem : "");
      return;
    }

  if (!check_runner (self, spec, credential, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (AddRunnerData, 1);
  data->spec = dr_runner_spec_ref (spec);
  g_task_set_task_data (task, data, (GDestroyNotify) add_runner_data_free);

  /* Translators: the label of the credential in keyring managers such as Passwords and Keys. */
  label = g_strdup_printf (_("deskrun: GitHub credential for %s"), spec->name);
  dr_keyring_store_async (credential, label, cancellable, add_runner_stored_cb,
                          g_steal_pointer (&task));
}

DrRunner *
dr_engine_add_runner_finish (DrEngine      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Editing: the same checks as adding, except that the runner may keep its own name and scale
 * sets, and its stored credential when no new one is given. A new credential replaces the old
 * one only once the config is saved; on failure the new one is deleted again. */
typedef struct
{
  DrRunnerSpec *spec;      /* the edited spec, credential_id set once stored */
  DrRunnerSpec *previous;  /* what the config had */
  char         *stored_id; /* a newly stored credential */
  GError       *error;
} UpdateRunnerData;

static void
update_runner_data_free (UpdateRunnerData *data)
{
  g_clear_pointer (&data->spec, dr_runner_spec_unref);
  g_clear_pointer (&data->previous, dr_runner_spec_unref);
  g_clear_pointer (&data->stored_id, g_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
update_runner_forget_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrEngine *self = g_task_get_source_object (task);
  UpdateRunnerData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Either the replaced credential (after success) or the new one (after a failure) went;
   * a failure to delete it leaves an unused keyring item, not a broken runner. */
  if (!dr_keyring_delete_finish (result, &error))
    g_debug ("Could not delete a replaced credential of %s: %s", data->spec->name,
             error->message);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_object_ref (dr_engine_lookup_runner (self, data->spec->name)),
                           g_object_unref);
}

/* Puts the edited spec in place and saves; the previous one comes back if saving fails. */
static gboolean
update_runner_commit (DrEngine          *self,
                      UpdateRunnerData  *data,
                      GError           **error)
{
  if (!dr_config_put_runner (self->config, data->spec, error))
    return FALSE;
  if (!_dr_engine_save_or_revert (self, NULL, data->previous, error))
    return FALSE;
  _dr_engine_sync_runners (self);
  return TRUE;
}

static void
update_runner_stored_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrEngine *self = g_task_get_source_object (task);
  UpdateRunnerData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stored_id = dr_keyring_store_finish (result, &error);
  if (data->stored_id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_free (data->spec->credential_id);
  data->spec->credential_id = g_strdup (data->stored_id);
  if (!update_runner_commit (self, data, &error))
    {
      data->error = g_steal_pointer (&error);
      dr_keyring_delete_async (data->stored_id, NULL, update_runner_forget_cb,
                               g_steal_pointer (&task));
      return;
    }

  if (data->previous->credential_id == NULL)
    {
      g_task_return_pointer (task, g_object_ref (dr_engine_lookup_runner (self, data->spec->name)),
                             g_object_unref);
      return;
    }
  dr_keyring_delete_async (data->previous->credential_id, NULL, update_runner_forget_cb,
                           g_steal_pointer (&task));
}

void
dr_engine_update_runner_async (DrEngine            *self,
                               DrRunnerSpec        *spec,
                               const DrCredential  *credential,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  UpdateRunnerData *data;
  DrRunnerSpec *previous;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (spec != NULL && spec->name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_update_runner_async);

  if (!_dr_engine_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  previous = dr_config_lookup_runner (self->config, spec->name);
  if (previous == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("There is no runner named “%s”."), spec->name);
      return;
    }

  data = g_new0 (UpdateRunnerData, 1);
  data->spec = dr_runner_spec_copy (spec);
  data->previous = dr_runner_spec_ref (previous);
  g_task_set_task_data (task, data, (GDestroyNotify) update_runner_data_free);

  if (credential == NULL)
    {
      /* Keeping the stored credential is only possible while its kind stays the same. */
      if (spec->credential_kind != previous->credential_kind)
        {
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                                   _("The credential type changed: enter the new credential."));
          return;
        }
      g_free (data->spec->credential_id);
      data->spec->credential_id = g_strdup (previous->credential_id);

      if (!dr_runner_spec_validate (data->spec, &error) ||
          !check_names_are_free (self, data->spec, previous->name, &error) ||
          !update_runner_commit (self, data, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_pointer (task, g_object_ref (dr_engine_lookup_runner (self, spec->name)),
                             g_object_unref);
      return;
    }

  if (!check_runner (self, data->spec, credential, previous->name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  label = g_strdup_printf (_("deskrun: GitHub credential for %s"), spec->name);
  dr_keyring_store_async (credential, label, cancellable, update_runner_stored_cb,
                          g_steal_pointer (&task));
}

DrRunner *
dr_engine_update_runner_finish (DrEngine      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
remove_runner_deleted_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *name = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dr_keyring_delete_finish (result, &error))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_KEYRING,
                               _("The runner “%s” was removed, but its credential could not be "
                                 "deleted from the keyring: %s"),
                               name, error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
_dr_engine_forget_runner_async (DrEngine            *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunnerSpec) spec = NULL;
  DrRunnerSpec *found;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _dr_engine_forget_runner_async);
  g_task_set_task_data (task, g_strdup (name), g_free);

  found = dr_config_lookup_runner (self->config, name);
  if (found == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("There is no runner named “%s”."), name);
      return;
    }
  spec = dr_runner_spec_ref (found);

  if (!_dr_engine_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  dr_config_remove_runner (self->config, name);
  if (!_dr_engine_save_or_revert (self, NULL, spec, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _dr_engine_sync_runners (self);

  if (spec->credential_id == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  dr_keyring_delete_async (spec->credential_id, cancellable, remove_runner_deleted_cb,
                           g_steal_pointer (&task));
}

gboolean
_dr_engine_forget_runner_finish (DrEngine      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_runner_waited_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!dr_operation_wait_finish (DR_OPERATION (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
dr_engine_remove_runner_async (DrEngine            *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrOperation) operation = NULL;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_remove_runner_async);

  operation = dr_engine_remove_runner (self, name);
  dr_operation_wait_async (operation, cancellable, remove_runner_waited_cb,
                           g_steal_pointer (&task));
}

gboolean
dr_engine_remove_runner_finish (DrEngine      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_dr_engine_check_writable (DrEngine  *self,
                           GError   **error)
{
  if (!dr_config_is_read_only (self->config))
    return TRUE;
  g_set_error (error, DR_ERROR, DR_ERROR_NEWER_CONFIG,
               _("The configuration cannot be changed: %s"),
               self->config_problem ? self->config_problem : "");
  return FALSE;
}

void
dr_engine_set_kube_client (DrEngine     *self,
                           DrKubeClient *client)
{
  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (client == NULL || DR_IS_KUBE_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* What another cluster showed is not known of this one. */
  g_clear_pointer (&self->observer, _dr_engine_observer_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->runners)); i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->runners), i);

      reset_observed (runner);
    }
  _dr_engine_set_watch_state (self, FALSE, NULL);
  if (client != NULL && self->observing)
    self->observer = _dr_engine_observer_new (self, client);
  /* Unmanaged runners of a previous cluster go; those of the new one come with its stores. */
  _dr_engine_sync_runners (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KUBE_CLIENT]);
}

void
dr_engine_set_observing (DrEngine *self,
                         gboolean  observing)
{
  g_return_if_fail (DR_IS_ENGINE (self));

  observing = !!observing;
  if (self->observing == observing)
    return;
  self->observing = observing;
  if (observing && self->client != NULL)
    self->observer = _dr_engine_observer_new (self, self->client);
  else if (!observing && self->observer != NULL)
    {
      g_clear_pointer (&self->observer, _dr_engine_observer_free);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->runners)); i++)
        {
          g_autoptr(DrRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->runners), i);

          reset_observed (runner);
        }
      _dr_engine_set_watch_state (self, FALSE, NULL);
    }
  _dr_engine_sync_runners (self);
}

DrKubeClient *
dr_engine_get_kube_client (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->client;
}

void
_dr_engine_set_watch_state (DrEngine   *self,
                            gboolean    synced,
                            const char *cluster_error)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->synced != synced)
    {
      self->synced = synced;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
    }
  if (g_strcmp0 (self->cluster_error, cluster_error) != 0)
    {
      g_free (self->cluster_error);
      self->cluster_error = g_strdup (cluster_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
dr_engine_get_synced (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), FALSE);
  return self->synced;
}

const char *
dr_engine_get_cluster_error (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->cluster_error;
}

GListModel *
dr_engine_get_operations (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->operations);
}

DrOperation *
_dr_engine_track_operation (DrEngine    *self,
                            DrOperation *operation)
{
  g_list_store_append (self->operations, operation);
  return operation;
}

void
_dr_engine_set_listener_grace (DrEngine *self,
                               guint     grace_ms)
{
  g_return_if_fail (DR_IS_ENGINE (self));
  self->listener_grace_ms = grace_ms;
}

void
_dr_engine_set_removal_timeout (DrEngine *self,
                                guint     timeout_ms)
{
  g_return_if_fail (DR_IS_ENGINE (self));
  self->removal_timeout_ms = timeout_ms;
}

static void
measure_cache_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  guint64 bytes = dr_cache_measure_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&bytes, sizeof bytes), g_free);
}

void
dr_engine_measure_runner_cache_async (DrEngine            *self,
                                      const char          *runner_name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) dirs = NULL;
  DrRunner *runner;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (runner_name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_measure_runner_cache_async);

  /* A kubeconfig context renders automatic mounts in its own nodes' cache folder: what is
   * on this computer under the same name belongs to some other cluster. */
  if (self->cluster != NULL && !dr_cluster_is_kind (self->cluster))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_UNSUPPORTED,
                               _("The caches of runners on “%s” are kept on that cluster’s "
                                 "nodes, not on this computer"),
                               dr_cluster_get_name (self->cluster) ?: "");
      return;
    }

  runner = dr_engine_lookup_runner (self, runner_name);
  if (runner == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("There is no runner called “%s”"), runner_name);
      return;
    }

  dirs = dr_cache_dirs_for_runner (dr_runner_get_spec (runner));
  dr_cache_measure_async ((const char * const *) dirs, cancellable, measure_cache_cb,
                          g_steal_pointer (&task));
}

gboolean
dr_engine_measure_runner_cache_finish (DrEngine      *self,
                                       GAsyncResult  *result,
                                       guint64       *bytes,
                                       GError       **error)
{
  g_autofree guint64 *measured = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  measured = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes != NULL)
    *bytes = measured != NULL ? *measured : 0;
  return measured != NULL;
}

gboolean
dr_engine_has_legacy_config (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), FALSE);
  return g_file_test (self->legacy_config_path, G_FILE_TEST_IS_REGULAR);
}

const char *
dr_engine_get_legacy_config_path (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->legacy_config_path;
}

/* Importing stores one credential after another, then saves the config once. */
typedef struct
{
  GPtrArray *installations;  /* DrLegacyInstallation, still to store */
  guint      next;
  GPtrArray *stored;         /* DrRunnerSpec with their credential ids */
  GPtrArray *warnings;       /* utf8 */
  GError    *error;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_pointer (&data->installations, g_ptr_array_unref);
  g_clear_pointer (&data->stored, g_ptr_array_unref);
  g_clear_pointer (&data->warnings, g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void import_next (GTask *task);

static void
import_rollback_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *data = g_task_get_task_data (task);

  dr_keyring_delete_finish (result, NULL);
  g_ptr_array_remove_index (data->stored, data->stored->len - 1);

  if (data->stored->len > 0)
    {
      DrRunnerSpec *spec = g_ptr_array_index (data->stored, data->stored->len - 1);

      dr_keyring_delete_async (spec->credential_id, NULL, import_rollback_cb,
                               g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, g_steal_pointer (&data->error));
}

/* Undoes the credentials stored so far, then reports @error. */
static void
import_fail (GTask  *task,
             GError *error)
{
  ImportData *data = g_task_get_task_data (task);
  DrRunnerSpec *spec;

  data->error = error;
  if (data->stored->len == 0)
    {
      g_task_return_error (task, g_steal_pointer (&data->error));
      g_object_unref (task);
      return;
    }
  spec = g_ptr_array_index (data->stored, data->stored->len - 1);
  dr_keyring_delete_async (spec->credential_id, NULL, import_rollback_cb, task);
}

static void
import_finish_saving (GTask *task)
{
  DrEngine *self = g_task_get_source_object (task);
  ImportData *data = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  DrImportReport *report;

  for (guint i = 0; i < data->stored->len; i++)
    {
      DrRunnerSpec *spec = g_ptr_array_index (data->stored, i);

      if (!dr_config_put_runner (self->config, spec, &error))
        break;
      g_strv_builder_add (names, spec->name);
    }

  if (error != NULL || !dr_config_save (self->config, &error))
    {
      for (guint i = 0; i < data->stored->len; i++)
        {
          DrRunnerSpec *spec = g_ptr_array_index (data->stored, i);
          dr_config_remove_runner (self->config, spec->name);
        }
      import_fail (task, g_steal_pointer (&error));
      return;
    }

  _dr_engine_sync_runners (self);

  g_ptr_array_add (data->warnings, NULL);
  report = g_new0 (DrImportReport, 1);
  report->imported = g_strv_builder_end (names);
  report->warnings = (GStrv) g_ptr_array_steal (data->warnings, NULL);
  report->legacy_path = g_strdup (self->legacy_config_path);
  g_task_return_pointer (task, report, (GDestroyNotify) dr_import_report_free);
  g_object_unref (task);
}

static void
import_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ImportData *data = g_task_get_task_data (task);
  DrLegacyInstallation *installation = g_ptr_array_index (data->installations, data->next);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dr_keyring_store_finish (result, &error);
  DrRunnerSpec *spec;

  if (id == NULL)
    {
      import_fail (task, g_steal_pointer (&error));
      return;
    }

  spec = dr_runner_spec_copy (installation->spec);
  g_free (spec->credential_id);
  spec->credential_id = g_steal_pointer (&id);
  g_ptr_array_add (data->stored, spec);
  data->next++;
  import_next (task);
}

static void
import_next (GTask *task)
{
  DrEngine *self = g_task_get_source_object (task);
  ImportData *data = g_task_get_task_data (task);

  while (data->next < data->installations->len)
    {
      DrLegacyInstallation *installation = g_ptr_array_index (data->installations, data->next);
      g_autoptr(GError) error = NULL;
      g_autofree char *label = NULL;

      if (!check_runner (self, installation->spec, installation->credential, NULL, &error))
        {
          g_ptr_array_add (data->warnings,
                           g_strdup_printf (_("“%s” was not imported: %s"),
                                            installation->spec->name, error->message));
          data->next++;
          continue;
        }

      label = g_strdup_printf (_("deskrun: GitHub credential for %s"), installation->spec->name);
      dr_keyring_store_async (installation->credential, label, g_task_get_cancellable (task),
                              import_stored_cb, task);
      return;
    }

  import_finish_saving (task);
}

void
dr_engine_import_legacy_async (DrEngine            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GPtrArray *installations;
  ImportData *data;

  g_return_if_fail (DR_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_import_legacy_async);

  if (dr_config_is_read_only (self->config))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NEWER_CONFIG,
                               _("The configuration cannot be changed: %s"),
                               self->config_problem ? self->config_problem : "");
      return;
    }

  if (!g_file_get_contents (self->legacy_config_path, &contents, &length, &error))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_CONFIG,
                               _("Could not read the deskrun CLI configuration: %s"),
                               error->message);
      return;
    }

  installations = dr_legacy_config_parse (contents, length, NULL, &warnings, &error);
  /* The file holds tokens in plain text: do not keep a second copy around in memory. */
  memset (contents, 0, length);
  if (installations == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (ImportData, 1);
  data->installations = installations;
  data->stored = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_runner_spec_unref);
  data->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_ptr_array_add (data->warnings, g_strdup (g_ptr_array_index (warnings, i)));
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);

  import_next (g_steal_pointer (&task));
}

DrImportReport *
dr_engine_import_legacy_finish (DrEngine      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
