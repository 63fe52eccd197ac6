/* dr-step-queue.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-step-queue.h"

typedef enum
{
  QUEUE_NEW,
  QUEUE_RUNNING,
  QUEUE_ENDED,
} QueueState;

struct _DrStepQueue
{
  GObject                parent_instance;

  DrOperation           *operation;
  DrStepQueueFlags       flags;
  QueueState             state;

  GQueue                 steps;           /* DrStep *, waiting */
  DrStep                *current;
  gboolean               current_ended;   /* current is only freed once its run returned */
  guint                  n_inserted;      /* by the current step, right after itself */
  guint                  n_done;
  double                 fraction;
  GError                *kept_error;

  gpointer               context;
  GDestroyNotify         context_free;
  DrStepQueueFinishFunc  finish_func;
  gpointer               finish_data;

  /* Steps that end at once would otherwise nest one run inside the other for every step. */
  gboolean               advancing;
  gboolean               advance_again;
};

G_DEFINE_FINAL_TYPE (DrStepQueue, dr_step_queue, G_TYPE_OBJECT)

static void
step_free (DrStep *step)
{
  if (step->free != NULL && step->data != NULL)
    step->free (step->data);
  g_free (step);
}

static void
dr_step_queue_finalize (GObject *object)
{
  DrStepQueue *self = DR_STEP_QUEUE (object);

  g_clear_pointer (&self->current, step_free);
  g_queue_clear_full (&self->steps, (GDestroyNotify) step_free);
  g_clear_error (&self->kept_error);
  if (self->context_free != NULL)
    g_clear_pointer (&self->context, self->context_free);
  g_clear_object (&self->operation);

  G_OBJECT_CLASS (dr_step_queue_parent_class)->finalize (object);
}

static void
dr_step_queue_class_init (DrStepQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dr_step_queue_finalize;
}

static void
dr_step_queue_init (DrStepQueue *self)
{
  g_queue_init (&self->steps);
}

DrStepQueue *
dr_step_queue_new (DrOperation      *operation,
                   DrStepQueueFlags  flags)
{
  DrStepQueue *self;

  g_return_val_if_fail (DR_IS_OPERATION (operation), NULL);

  self = g_object_new (DR_TYPE_STEP_QUEUE, NULL);
  self->operation = g_object_ref (operation);
  self->flags = flags;
  return self;
}

void
dr_step_queue_set_context (DrStepQueue    *self,
                           gpointer        context,
                           GDestroyNotify  context_free)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  if (self->context_free != NULL)
    g_clear_pointer (&self->context, self->context_free);
  self->context = context;
  self->context_free = context_free;
}

gpointer
dr_step_queue_get_context (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  return self->context;
}

void
dr_step_queue_set_finish_func (DrStepQueue           *self,
                               DrStepQueueFinishFunc  func,
                               gpointer               user_data)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  self->finish_func = func;
  self->finish_data = user_data;
}

static DrStep *
step_new (const DrStepClass *klass,
          gpointer           data,
          GDestroyNotify     free_data)
{
  DrStep *step = g_new0 (DrStep, 1);

  step->klass = klass;
  step->data = data;
  step->free = free_data;
  return step;
}

void
dr_step_queue_push (DrStepQueue       *self,
                    const DrStepClass *klass,
                    gpointer           data,
                    GDestroyNotify     free_data)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));
  g_return_if_fail (klass != NULL && klass->run != NULL);

  if (self->state == QUEUE_ENDED)
    {
      if (free_data != NULL && data != NULL)
        free_data (data);
      g_return_if_reached ();
    }
  g_queue_push_tail (&self->steps, step_new (klass, data, free_data));
}

void
dr_step_queue_push_next (DrStepQueue       *self,
                         const DrStepClass *klass,
                         gpointer           data,
                         GDestroyNotify     free_data)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));
  g_return_if_fail (klass != NULL && klass->run != NULL);

  if (self->state == QUEUE_ENDED)
    {
      if (free_data != NULL && data != NULL)
        free_data (data);
      g_return_if_reached ();
    }
  g_queue_push_nth (&self->steps, step_new (klass, data, free_data), self->n_inserted++);
}

/* Ends the verb: with @error (taken) or, when NULL, with the kept error or success. */
static void
end (DrStepQueue *self,
     GError      *error)
{
  g_autoptr(DrStepQueue) hold = self;  /* the reference dr_step_queue_start() took */

  if (error == NULL)
    error = g_steal_pointer (&self->kept_error);
  self->state = QUEUE_ENDED;
  self->current_ended = TRUE;
  /* A step that ends the verb from its run function still runs: advance() frees it. */
  if (!self->advancing)
    g_clear_pointer (&self->current, step_free);
  g_queue_clear_full (&self->steps, (GDestroyNotify) step_free);

  if (self->finish_func != NULL)
    self->finish_func (self, error, self->finish_data);
  if (error == NULL)
    _dr_operation_succeed (self->operation);
  else
    _dr_operation_fail (self->operation, error);
}

static void
advance (DrStepQueue *self)
{
  g_autoptr(DrStepQueue) hold = NULL;

  if (self->advancing)
    {
      self->advance_again = TRUE;
      return;
    }

  hold = g_object_ref (self);
  self->advancing = TRUE;
  do
    {
      GCancellable *cancellable = _dr_operation_get_cancellable (self->operation);

      self->advance_again = FALSE;
      g_clear_pointer (&self->current, step_free);
      self->n_inserted = 0;

      if (self->kept_error == NULL && g_cancellable_is_cancelled (cancellable))
        {
          end (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("The operation was cancelled.")));
          break;
        }
      if (g_queue_is_empty (&self->steps))
        {
          end (self, NULL);
          break;
        }

      self->current = g_queue_pop_head (&self->steps);
      self->current_ended = FALSE;
      g_debug ("step %s", self->current->klass->name != NULL ? self->current->klass->name : "?");
      /* The step's data stays valid until its run function returns, even when it ends the
       * step at once; a step that ends later does so from a callback. */
      self->current->klass->run (self, self->current->data);
    }
  while (self->advance_again && self->state == QUEUE_RUNNING);
  if (self->state == QUEUE_ENDED)
    g_clear_pointer (&self->current, step_free);
  self->advancing = FALSE;
}

static void
step_done (DrStepQueue *self)
{
  guint left = g_queue_get_length (&self->steps);

  self->current_ended = TRUE;
  self->n_done++;
  if (!(self->flags & DR_STEP_QUEUE_MANUAL_FRACTION) && left > 0)
    {
      double fraction = (double) self->n_done / (self->n_done + left);

      if (fraction > self->fraction)
        {
          self->fraction = fraction;
          _dr_operation_set_fraction (self->operation, fraction);
        }
    }
  advance (self);
}

void
dr_step_queue_start (DrStepQueue *self)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));
  g_return_if_fail (self->state == QUEUE_NEW);

  self->state = QUEUE_RUNNING;
  g_object_ref (self);  /* released by end() */
  advance (self);
}

static gboolean
check_current (DrStepQueue *self,
               const char  *what)
{
  if (self->state != QUEUE_RUNNING || self->current == NULL || self->current_ended)
    {
      g_critical ("%s() called with no step running", what);
      return FALSE;
    }
  return TRUE;
}

void
dr_step_queue_next (DrStepQueue *self)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  if (!check_current (self, G_STRFUNC))
    return;
  step_done (self);
}

void
dr_step_queue_fail (DrStepQueue *self,
                    GError      *error)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));
  g_return_if_fail (error != NULL);

  if (!check_current (self, G_STRFUNC))
    {
      g_error_free (error);
      return;
    }
  /* Cleanup that fails says so; the verb still ends with what made it clean up. */
  if (self->kept_error != NULL)
    {
      _dr_operation_log (self->operation, error->message);
      g_error_free (error);
      end (self, NULL);
      return;
    }
  end (self, error);
}

void
dr_step_queue_finish (DrStepQueue *self)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  if (!check_current (self, G_STRFUNC))
    return;
  end (self, NULL);
}

void
dr_step_queue_keep_error (DrStepQueue *self,
                          GError      *error)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));
  g_return_if_fail (error != NULL);

  if (self->kept_error != NULL)
    {
      _dr_operation_log (self->operation, error->message);
      g_error_free (error);
      return;
    }
  self->kept_error = error;
  g_queue_clear_full (&self->steps, (GDestroyNotify) step_free);
  self->n_inserted = 0;
}

DrOperation *
dr_step_queue_get_operation (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  return self->operation;
}

GCancellable *
dr_step_queue_get_cancellable (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  if (self->kept_error != NULL)
    return NULL;
  return _dr_operation_get_cancellable (self->operation);
}

gpointer
dr_step_queue_get_current (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  return self->current != NULL ? self->current->data : NULL;
}

const DrStepClass *
dr_step_queue_get_current_class (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  return self->current != NULL ? self->current->klass : NULL;
}

const GError *
dr_step_queue_get_kept_error (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), NULL);

  return self->kept_error;
}

guint
dr_step_queue_get_n_done (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), 0);

  return self->n_done;
}

guint
dr_step_queue_get_n_left (DrStepQueue *self)
{
  g_return_val_if_fail (DR_IS_STEP_QUEUE (self), 0);

  return g_queue_get_length (&self->steps);
}

void
dr_step_queue_set_step (DrStepQueue *self,
                        const char  *step)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  _dr_operation_set_step (self->operation, step);
}

void
dr_step_queue_log (DrStepQueue *self,
                   const char  *line)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  _dr_operation_log (self->operation, line);
}

void
dr_step_queue_set_fraction (DrStepQueue *self,
                            double       fraction)
{
  g_return_if_fail (DR_IS_STEP_QUEUE (self));

  _dr_operation_set_fraction (self->operation, fraction);
}
