/* dr-step-queue.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way an engine verb runs (DESIGN.md "Every verb … returns a DrOperation run by one
 * step queue"). A verb is a queue of small steps bound to one DrOperation: apply one object,
 * wait until one is gone, ask kind to start a node, … The queue runs them one after the other
 * on the main loop and reports through the operation: the progress (done / (done + left)
 * unless the verb sets it itself), the log lines, cancel, and the error it ends with.
 *
 * A step is { klass, data, free }: the class says what the step does (its run function), the
 * data is what this one step needs and owns (freed with @free once the step is over), so no
 * struct holds the fields of every step at once. A run function starts the step and, now or
 * from a callback later, ends it with exactly one of
 *
 *   dr_step_queue_next ()        this step is done: the next one runs
 *   dr_step_queue_fail ()        the verb ends with this error
 *   dr_step_queue_finish ()      the verb is done early: the steps left are dropped
 *   dr_step_queue_keep_error ()  the verb will end with this error, but first the steps
 *                                queued from now on run (cleanup: "remove the half-made
 *                                cluster", "read the state again"); then call _next()
 *
 * A step that learns more (the objects a removal must delete) queues what follows from it
 * with dr_step_queue_push_next(), which puts the steps right after itself in call order.
 * What every step of one verb shares (the engine, the client, namespaces) is the queue's
 * context. Async calls get dr_step_queue_get_cancellable(), which dr_operation_cancel()
 * cancels; between steps the queue checks it too, so a step that cannot be interrupted is
 * still the last one to run. While a kept error's cleanup runs, the cancellable is NULL: what
 * cleans up after a cancel must not be cancelled by it.
 *
 * Writing a verb (docs/HACKING.md "Adding a verb"):
 *
 *   static void
 *   scale_cb (GObject *object, GAsyncResult *result, gpointer data)
 *   {
 *     DrStepQueue *queue = data;
 *     GError *error = NULL;
 *
 *     if (!dr_kube_client_..._finish (..., result, &error))
 *       dr_step_queue_fail (queue, error);
 *     else
 *       dr_step_queue_next (queue);
 *   }
 *
 *   static void
 *   scale_run (DrStepQueue *queue, gpointer data)
 *   {
 *     ScaleStep *step = data;
 *
 *     dr_step_queue_set_step (queue, _("Scaling…"));
 *     dr_kube_client_..._async (..., dr_step_queue_get_cancellable (queue), scale_cb, queue);
 *   }
 *
 *   static const DrStepClass scale_step = { "scale", scale_run };
 *
 *   operation = _dr_operation_new (title);
 *   queue = dr_step_queue_new (operation, DR_STEP_QUEUE_DEFAULT);
 *   dr_step_queue_push (queue, &scale_step, step, scale_step_free);
 *   dr_step_queue_start (queue);       (the queue keeps itself alive until it ends)
 *   return operation;
 *
 * Everything runs on the thread of the main context that started the queue.
 */
#pragma once

#include <gio/gio.h>

#include "dr-operation.h"

G_BEGIN_DECLS

#define DR_TYPE_STEP_QUEUE (dr_step_queue_get_type ())
G_DECLARE_FINAL_TYPE (DrStepQueue, dr_step_queue, DR, STEP_QUEUE, GObject)

typedef struct
{
  /* For debug messages ("deskrun-DEBUG: step apply"). */
  const char *name;
  /* Starts the step with its @data; it ends through the queue (see above). */
  void      (*run) (DrStepQueue *queue,
                    gpointer     data);
} DrStepClass;

typedef struct
{
  const DrStepClass *klass;
  gpointer           data;
  GDestroyNotify     free;
} DrStep;

typedef enum
{
  DR_STEP_QUEUE_DEFAULT         = 0,
  /* The steps set the operation's fraction themselves (a download with its own progress). */
  DR_STEP_QUEUE_MANUAL_FRACTION = 1 << 0,
} DrStepQueueFlags;

/* Called once, when the verb ends, before the operation finishes (so whoever watches the
 * operation sees the verb's own state already updated): @error is NULL on success. */
typedef void (*DrStepQueueFinishFunc) (DrStepQueue  *queue,
                                       const GError *error,
                                       gpointer      user_data);

DrStepQueue       *dr_step_queue_new               (DrOperation           *operation,
                                                    DrStepQueueFlags       flags);
/* What every step of the verb shares; freed with @context_free when the queue is. */
void               dr_step_queue_set_context       (DrStepQueue           *self,
                                                    gpointer               context,
                                                    GDestroyNotify         context_free);
gpointer           dr_step_queue_get_context       (DrStepQueue           *self);
void               dr_step_queue_set_finish_func   (DrStepQueue           *self,
                                                    DrStepQueueFinishFunc  func,
                                                    gpointer               user_data);

/* Queues a step at the end. */
void               dr_step_queue_push              (DrStepQueue           *self,
                                                    const DrStepClass     *klass,
                                                    gpointer               data,
                                                    GDestroyNotify         free_data);
/* Queues a step right after the current one (and after those it queued before). */
void               dr_step_queue_push_next         (DrStepQueue           *self,
                                                    const DrStepClass     *klass,
                                                    gpointer               data,
                                                    GDestroyNotify         free_data);

/* Runs the steps. Steps that end at once do so before this returns. An empty queue
 * succeeds at once. */
void               dr_step_queue_start             (DrStepQueue           *self);

/* Ending the current step: exactly one of these, once per step. All take the error. */
void               dr_step_queue_next              (DrStepQueue           *self);
void               dr_step_queue_fail              (DrStepQueue           *self,
                                                    GError                *error);
void               dr_step_queue_finish            (DrStepQueue           *self);
/* The verb will end with @error (taken) once the steps queued after this call ran; the
 * steps that were waiting are dropped. A second kept error or a failing cleanup step is
 * logged and the first error stays. */
void               dr_step_queue_keep_error        (DrStepQueue           *self,
                                                    GError                *error);

DrOperation       *dr_step_queue_get_operation     (DrStepQueue           *self);
/* The operation's cancellable; NULL while a kept error's cleanup runs. */
GCancellable      *dr_step_queue_get_cancellable   (DrStepQueue           *self);
/* The running step's data and class; NULL between steps. */
gpointer           dr_step_queue_get_current       (DrStepQueue           *self);
const DrStepClass *dr_step_queue_get_current_class (DrStepQueue           *self);
/* The kept error, or NULL. */
const GError      *dr_step_queue_get_kept_error    (DrStepQueue           *self);
guint              dr_step_queue_get_n_done        (DrStepQueue           *self);
guint              dr_step_queue_get_n_left        (DrStepQueue           *self);

/* Shorthands for the operation's step text, log and fraction. */
void               dr_step_queue_set_step          (DrStepQueue           *self,
                                                    const char            *step);
void               dr_step_queue_log               (DrStepQueue           *self,
                                                    const char            *line);
void               dr_step_queue_set_fraction      (DrStepQueue           *self,
                                                    double                 fraction);

G_END_DECLS
