/* dr-kube-wait.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-kube-wait.h"

typedef struct
{
  GPtrArray       *stores;      /* DrKubeStore */
  DrKubeWaitCheck  check;
  gpointer         check_data;
  GSource         *look;
  GSource         *timeout;
  GSource         *cancelled;
} Wait;

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
wait_free (gpointer data)
{
  Wait *wait = data;

  destroy_source (&wait->look);
  destroy_source (&wait->timeout);
  destroy_source (&wait->cancelled);
  g_clear_pointer (&wait->stores, g_ptr_array_unref);
  g_free (wait);
}

/* Done with the stores and the sources; the task lives on until it returns. */
static void
wait_stop (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);

  destroy_source (&wait->look);
  destroy_source (&wait->timeout);
  destroy_source (&wait->cancelled);
  for (guint i = 0; wait->stores != NULL && i < wait->stores->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (wait->stores, i), task);
  g_clear_pointer (&wait->stores, g_ptr_array_unref);
}

static gboolean
look_cb (gpointer data)
{
  GTask *task = data;
  Wait *wait = g_task_get_task_data (task);

  g_clear_pointer (&wait->look, g_source_unref);
  for (guint i = 0; i < wait->stores->len; i++)
    if (!dr_kube_store_get_synced (g_ptr_array_index (wait->stores, i)))
      return G_SOURCE_REMOVE;
  if (!wait->check (wait->check_data))
    return G_SOURCE_REMOVE;

  wait_stop (task);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
schedule_look (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);

  if (wait->look != NULL || wait->stores == NULL)
    return;
  wait->look = g_idle_source_new ();
  g_source_set_callback (wait->look, look_cb, task, NULL);
  g_source_set_static_name (wait->look, "[deskrun] kube wait look");
  g_source_attach (wait->look, g_task_get_context (task));
}

static gboolean
timeout_cb (gpointer data)
{
  GTask *task = data;
  Wait *wait = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&wait->timeout, g_source_unref);
  for (guint i = 0; error == NULL && i < wait->stores->len; i++)
    {
      DrKubeStore *store = g_ptr_array_index (wait->stores, i);
      const char *problem = dr_kube_store_get_last_error (store);

      if (!dr_kube_store_get_synced (store))
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("Could not watch %s: %s"),
                             dr_kube_store_get_path (store),
                             problem != NULL ? problem : _("the API server did not answer"));
    }
  if (error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 _("What was waited for did not happen in time."));

  wait_stop (task);
  g_task_return_error (task, error);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  GTask *task = data;
  Wait *wait = g_task_get_task_data (task);

  g_clear_pointer (&wait->cancelled, g_source_unref);
  wait_stop (task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

void
dr_kube_wait_async (DrKubeStore * const *stores,
                    guint                n_stores,
                    guint                timeout_ms,
                    DrKubeWaitCheck      check,
                    gpointer             check_data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  Wait *wait;

  g_return_if_fail (stores != NULL && n_stores > 0);
  g_return_if_fail (check != NULL);
  for (guint i = 0; i < n_stores; i++)
    g_return_if_fail (DR_IS_KUBE_STORE (stores[i]));

  /* The reference the sources share; dropped when the task returns. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kube_wait_async);
  wait = g_new0 (Wait, 1);
  wait->stores = g_ptr_array_new_with_free_func (g_object_unref);
  wait->check = check;
  wait->check_data = check_data;
  g_task_set_task_data (task, wait, wait_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < n_stores; i++)
    {
      DrKubeStore *store = stores[i];

      g_ptr_array_add (wait->stores, g_object_ref (store));
      g_signal_connect_swapped (store, "added", G_CALLBACK (schedule_look), task);
      g_signal_connect_swapped (store, "changed", G_CALLBACK (schedule_look), task);
      g_signal_connect_swapped (store, "removed", G_CALLBACK (schedule_look), task);
      g_signal_connect_swapped (store, "synced", G_CALLBACK (schedule_look), task);
    }

  wait->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (wait->timeout, timeout_cb, task, NULL);
  g_source_set_static_name (wait->timeout, "[deskrun] kube wait timeout");
  g_source_attach (wait->timeout, g_task_get_context (task));
  if (cancellable != NULL)
    {
      wait->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (wait->cancelled, G_SOURCE_FUNC (cancelled_cb), task, NULL);
      g_source_attach (wait->cancelled, g_task_get_context (task));
    }

  /* Stores already synced hold all there is to see. */
  schedule_look (task);
  for (guint i = 0; i < n_stores; i++)
    dr_kube_store_start (stores[i]);
}

gboolean
dr_kube_wait_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_kube_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
