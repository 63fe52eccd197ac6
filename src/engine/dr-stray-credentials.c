/* dr-stray-credentials.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-keyring.h"
#include "dr-stray-credentials.h"

void
dr_stray_credential_free (DrStrayCredential *stray)
{
  if (stray == NULL)
    return;
  g_free (stray->id);
  g_free (stray->label);
  g_free (stray);
}

/* Whether @id can be called a stray of @config now. */
static gboolean
is_stray (DrConfig   *config,
          const char *id)
{
  g_auto(GStrv) used = NULL;

  if (config == NULL || dr_config_is_read_only (config))
    return FALSE;
  used = dr_config_dup_credential_ids (config);
  return !g_strv_contains ((const char * const *) used, id);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrEngine *self = g_task_get_source_object (task);
  DrConfig *config = dr_engine_get_config (self);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) strays = NULL;
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) ids = NULL;
  GError *error = NULL;

  items = dr_keyring_list_finish (result, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  strays = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_stray_credential_free);
  if (config == NULL || dr_config_is_read_only (config))
    {
      g_task_return_pointer (task, g_steal_pointer (&strays), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  ids = dr_config_dup_credential_ids (config);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (used, ids[i]);

  for (guint i = 0; i < items->len; i++)
    {
      DrKeyringItem *item = g_ptr_array_index (items, i);
      DrStrayCredential *stray;

      if (g_hash_table_contains (used, item->id))
        continue;
      stray = g_new0 (DrStrayCredential, 1);
      stray->id = g_strdup (item->id);
      stray->label = g_strdup (item->label != NULL ? item->label : item->id);
      g_ptr_array_add (strays, stray);
    }

  g_task_return_pointer (task, g_steal_pointer (&strays), (GDestroyNotify) g_ptr_array_unref);
}

void
dr_engine_find_stray_credentials_async (DrEngine            *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_find_stray_credentials_async);
  dr_keyring_list_async (cancellable, list_cb, task);
}

GPtrArray *
dr_engine_find_stray_credentials_finish (DrEngine      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dr_engine_find_stray_credentials_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GStrv ids;
  guint next;
  guint removed;
} Removal;

static void
removal_free (Removal *removal)
{
  g_strfreev (removal->ids);
  g_free (removal);
}

static void remove_next (GTask *task);

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Removal *removal = g_task_get_task_data (task);
  GError *error = NULL;

  if (!dr_keyring_delete_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  removal->removed++;
  remove_next (g_steal_pointer (&task));
}

/* Takes @task. One at a time, each checked against the config as it is then. */
static void
remove_next (GTask *task)
{
  DrEngine *self = g_task_get_source_object (task);
  Removal *removal = g_task_get_task_data (task);

  while (removal->ids[removal->next] != NULL)
    {
      const char *id = removal->ids[removal->next++];

      if (is_stray (dr_engine_get_config (self), id))
        {
          dr_keyring_delete_async (id, g_task_get_cancellable (task), delete_cb, task);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
dr_engine_remove_stray_credentials_async (DrEngine            *self,
                                          const char * const  *ids,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  Removal *removal;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (ids != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_remove_stray_credentials_async);
  removal = g_new0 (Removal, 1);
  removal->ids = g_strdupv ((GStrv) ids);
  g_task_set_task_data (task, removal, (GDestroyNotify) removal_free);
  remove_next (task);
}

gboolean
dr_engine_remove_stray_credentials_finish (DrEngine      *self,
                                           GAsyncResult  *result,
                                           guint         *out_removed,
                                           GError       **error)
{
  Removal *removal;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dr_engine_remove_stray_credentials_async, FALSE);

  removal = g_task_get_task_data (G_TASK (result));
  if (out_removed != NULL)
    *out_removed = removal->removed;
  return g_task_propagate_boolean (G_TASK (result), error);
}
