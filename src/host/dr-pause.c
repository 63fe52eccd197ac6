/* dr-pause.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-pause.h"

typedef struct
{
  GSource *timeout;
  GSource *cancelled;
} Pause;

static void
pause_free (gpointer data)
{
  Pause *pause = data;

  if (pause->timeout != NULL)
    {
      g_source_destroy (pause->timeout);
      g_source_unref (pause->timeout);
    }
  if (pause->cancelled != NULL)
    {
      g_source_destroy (pause->cancelled);
      g_source_unref (pause->cancelled);
    }
  g_free (pause);
}

static void
pause_stop_sources (GTask *task)
{
  Pause *pause = g_task_get_task_data (task);

  /* Destroying a source drops the task reference its callback held. */
  g_object_ref (task);
  if (pause->timeout != NULL)
    g_source_destroy (pause->timeout);
  if (pause->cancelled != NULL)
    g_source_destroy (pause->cancelled);
}

static gboolean
pause_timeout_cb (gpointer data)
{
  GTask *task = data;

  pause_stop_sources (task);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
pause_cancelled_cb (GCancellable *cancellable,
                    gpointer      data)
{
  GTask *task = data;

  pause_stop_sources (task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

void
dr_pause_async (guint                milliseconds,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GMainContext *context = g_task_get_context (task);
  Pause *pause = g_new0 (Pause, 1);

  g_task_set_source_tag (task, dr_pause_async);
  g_task_set_task_data (task, pause, pause_free);

  pause->timeout = g_timeout_source_new (milliseconds);
  g_source_set_callback (pause->timeout, pause_timeout_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (pause->timeout, "[deskrun] pause");
  g_source_attach (pause->timeout, context);

  if (cancellable != NULL)
    {
      pause->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (pause->cancelled, G_SOURCE_FUNC (pause_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (pause->cancelled, context);
    }
}

gboolean
dr_pause_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_pause_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
