/* test-step-queue.c — DrStepQueue, the step runner of every engine verb
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-error.h"
#include "dr-step-queue.h"
#include "dr-test-utils.h"

/* What the steps of one test did, in order. */
typedef struct
{
  GPtrArray *ran;      /* step names */
  GPtrArray *freed;    /* step names */
  GPtrArray *fractions_seen;
  GPtrArray *cancellables; /* the cancellable each step was given (not referenced) */
  gboolean   context_freed;
  guint      finish_calls;
  gboolean   finished_before_operation;
  char      *finish_error;
} Record;

typedef struct
{
  Record   *record;
  char     *name;
  /* What the step does: 0 next, 1 fail, 2 finish, 3 next later (idle), 4 keep an error and
   * queue a cleanup step, 5 queue two steps right after itself, 6 wait for the cancel */
  int       action;
  guint     source;
  gulong    cancelled_id;
} TestStep;

static void
test_step_free (gpointer data)
{
  TestStep *step = data;

  g_ptr_array_add (step->record->freed, g_strdup (step->name));
  g_assert_cmpuint (step->source, ==, 0);
  g_free (step->name);
  g_free (step);
}

static TestStep *
test_step_new (Record     *record,
               const char *name,
               int         action)
{
  TestStep *step = g_new0 (TestStep, 1);

  step->record = record;
  step->name = g_strdup (name);
  step->action = action;
  return step;
}

static void test_step_run (DrStepQueue *queue,
                           gpointer     data);

static const DrStepClass test_step_class = { "test", test_step_run };

static gboolean
later_cb (gpointer data)
{
  DrStepQueue *queue = data;
  TestStep *step = dr_step_queue_get_current (queue);

  step->source = 0;
  dr_step_queue_next (queue);
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              DrStepQueue  *queue)
{
  TestStep *step = dr_step_queue_get_current (queue);

  /* GCancellable calls this with its lock held: end from an idle, as I/O callbacks do. */
  g_assert_nonnull (step);
  step->source = g_idle_add_full (G_PRIORITY_DEFAULT, later_cb, queue, NULL);
}

static void
test_step_run (DrStepQueue *queue,
               gpointer     data)
{
  TestStep *step = data;
  Record *record = step->record;

  g_assert_true (dr_step_queue_get_current (queue) == step);
  g_assert_true (dr_step_queue_get_current_class (queue) == &test_step_class);
  g_ptr_array_add (record->ran, g_strdup (step->name));
  g_ptr_array_add (record->cancellables, dr_step_queue_get_cancellable (queue));
  dr_step_queue_log (queue, step->name);

  switch (step->action)
    {
    case 0:
      dr_step_queue_next (queue);
      break;
    case 1:
      dr_step_queue_fail (queue, g_error_new (DR_ERROR, DR_ERROR_FAILED, "%s failed",
                                              step->name));
      break;
    case 2:
      dr_step_queue_finish (queue);
      break;
    case 3:
      step->source = g_idle_add (later_cb, queue);
      break;
    case 4:
      dr_step_queue_keep_error (queue, g_error_new (DR_ERROR, DR_ERROR_CONFLICT, "%s kept",
                                                    step->name));
      dr_step_queue_push_next (queue, &test_step_class, test_step_new (record, "cleanup", 3),
                               test_step_free);
      dr_step_queue_push_next (queue, &test_step_class,
                               test_step_new (record, "failing cleanup", 1), test_step_free);
      dr_step_queue_push_next (queue, &test_step_class,
                               test_step_new (record, "never after a failed cleanup", 0),
                               test_step_free);
      dr_step_queue_next (queue);
      break;
    case 5:
      dr_step_queue_push_next (queue, &test_step_class, test_step_new (record, "inserted 1", 0),
                               test_step_free);
      dr_step_queue_push_next (queue, &test_step_class, test_step_new (record, "inserted 2", 3),
                               test_step_free);
      dr_step_queue_next (queue);
      break;
    case 6:
      g_assert_nonnull (dr_step_queue_get_cancellable (queue));
      step->cancelled_id = g_cancellable_connect (dr_step_queue_get_cancellable (queue),
                                                  G_CALLBACK (cancelled_cb), queue, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
record_init (Record *record)
{
  record->ran = g_ptr_array_new_with_free_func (g_free);
  record->freed = g_ptr_array_new_with_free_func (g_free);
  record->fractions_seen = g_ptr_array_new_with_free_func (g_free);
  record->cancellables = g_ptr_array_new ();
}

static void
record_clear (Record *record)
{
  g_ptr_array_unref (record->ran);
  g_ptr_array_unref (record->freed);
  g_ptr_array_unref (record->fractions_seen);
  g_ptr_array_unref (record->cancellables);
  g_free (record->finish_error);
}

static void
context_free (gpointer data)
{
  ((Record *) data)->context_freed = TRUE;
}

static void
finish_cb (DrStepQueue  *queue,
           const GError *error,
           gpointer      user_data)
{
  Record *record = user_data;

  record->finish_calls++;
  record->finished_before_operation =
    !dr_operation_is_finished (dr_step_queue_get_operation (queue));
  record->finish_error = error != NULL ? g_strdup (error->message) : NULL;
}

static void
fraction_cb (DrOperation *op,
             GParamSpec  *pspec,
             Record      *record)
{
  g_ptr_array_add (record->fractions_seen,
                   g_strdup_printf ("%.2f", dr_operation_get_fraction (op)));
}

static gboolean
is_finished (gpointer op)
{
  return dr_operation_is_finished (op);
}

/* Runs @queue to its end with @record watching. */
static void
run (DrStepQueue *queue,
     Record      *record)
{
  DrOperation *op = dr_step_queue_get_operation (queue);

  dr_step_queue_set_context (queue, record, context_free);
  dr_step_queue_set_finish_func (queue, finish_cb, record);
  g_signal_connect (op, "notify::fraction", G_CALLBACK (fraction_cb), record);
  dr_step_queue_start (queue);
}

static char *
join (GPtrArray *names)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  strv = g_strv_builder_end (builder);
  return g_strjoinv (", ", strv);
}

static void
assert_names (GPtrArray  *names,
              const char *expected)
{
  g_autofree char *joined = join (names);

  g_assert_cmpstr (joined, ==, expected);
}

static void
push (DrStepQueue *queue,
      Record      *record,
      const char  *name,
      int          action)
{
  dr_step_queue_push (queue, &test_step_class, test_step_new (record, name, action),
                      test_step_free);
}

/* Steps run in the order they were queued, those a step queues next right after it; steps
 * that end at once finish before start() returns; the progress counts done steps. */
static void
test_order_and_progress (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Four steps");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  g_autofree char *log = NULL;
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "first", 0);
  push (queue, &record, "inserts", 5);
  push (queue, &record, "last", 3);
  run (queue, &record);

  /* "inserted 2" waits for an idle: everything up to it ran at once. */
  assert_names (record.ran, "first, inserts, inserted 1, inserted 2");
  g_assert_false (dr_operation_is_finished (op));
  g_assert_cmpuint (dr_step_queue_get_n_done (queue), ==, 3);
  g_assert_cmpuint (dr_step_queue_get_n_left (queue), ==, 1);

  dr_test_wait_until (is_finished, op, 5000, "the queue to end");
  assert_names (record.ran, "first, inserts, inserted 1, inserted 2, last");
  assert_names (record.freed, "first, inserts, inserted 1, inserted 2, last");
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
  /* 1/3, then 2/5 (two more steps known), 3/5, 4/5; then success sets 1. */
  assert_names (record.fractions_seen, "0.33, 0.40, 0.60, 0.80, 1.00");
  g_assert_cmpuint (record.finish_calls, ==, 1);
  g_assert_true (record.finished_before_operation);
  g_assert_null (record.finish_error);
  log = dr_operation_dup_log (op);
  g_assert_cmpstr (log, ==, "first\ninserts\ninserted 1\ninserted 2\nlast\n");

  /* The queue let go of itself: the last reference is ours. */
  g_assert_cmpuint (G_OBJECT (queue)->ref_count, ==, 1);
  g_assert_false (record.context_freed);
  g_clear_object (&queue);
  g_assert_true (record.context_freed);
  record_clear (&record);
}

/* A verb that sets its own progress is left alone. */
static void
test_manual_fraction (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Manual");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_MANUAL_FRACTION);
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "one", 0);
  push (queue, &record, "two", 0);
  run (queue, &record);
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
  assert_names (record.fractions_seen, "1.00");
  g_clear_object (&queue);
  record_clear (&record);
}

/* The first failure ends the verb with its error; the steps left are freed, never run. */
static void
test_failure (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Fails");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "one", 3);
  push (queue, &record, "two", 1);
  push (queue, &record, "three", 0);
  run (queue, &record);
  dr_test_wait_until (is_finished, op, 5000, "the queue to end");

  assert_names (record.ran, "one, two");
  /* A step that ends the verb from its run is freed once its run returned. */
  assert_names (record.freed, "one, three, two");
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_FAILED);
  g_assert_error (dr_operation_get_error (op), DR_ERROR, DR_ERROR_FAILED);
  g_assert_cmpstr (dr_operation_get_error (op)->message, ==, "two failed");
  g_assert_cmpstr (record.finish_error, ==, "two failed");
  g_assert_true (record.finished_before_operation);
  g_clear_object (&queue);
  g_assert_true (record.context_freed);
  record_clear (&record);
}

/* finish() ends the verb early and successfully. */
static void
test_finish_early (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Early");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "one", 2);
  push (queue, &record, "two", 0);
  run (queue, &record);
  assert_names (record.ran, "one");
  assert_names (record.freed, "two, one");
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
  g_clear_object (&queue);
  record_clear (&record);
}

/* A kept error drops the waiting steps, runs the cleanup queued after it without the
 * cancellable, logs a failing cleanup and ends with the kept error. */
static void
test_kept_error (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Cleans up");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  g_autofree char *log = NULL;
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "keeps", 4);
  push (queue, &record, "dropped", 0);
  run (queue, &record);
  g_assert_nonnull (dr_step_queue_get_kept_error (queue));
  dr_test_wait_until (is_finished, op, 5000, "the queue to end");

  assert_names (record.ran, "keeps, cleanup, failing cleanup");
  assert_names (record.freed, "dropped, keeps, cleanup, never after a failed cleanup, "
                              "failing cleanup");
  g_assert_nonnull (g_ptr_array_index (record.cancellables, 0));
  g_assert_null (g_ptr_array_index (record.cancellables, 1));
  g_assert_null (g_ptr_array_index (record.cancellables, 2));
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_FAILED);
  g_assert_error (dr_operation_get_error (op), DR_ERROR, DR_ERROR_CONFLICT);
  g_assert_cmpstr (dr_operation_get_error (op)->message, ==, "keeps kept");
  log = dr_operation_dup_log (op);
  g_assert_cmpstr (log, ==, "keeps\ncleanup\nfailing cleanup\nfailing cleanup failed\n"
                                 "keeps kept\n");
  g_clear_object (&queue);
  record_clear (&record);
}

/* Cancel during a step: the step sees its cancellable cancelled, and even when it ends
 * normally no later step runs; the verb ends cancelled. */
static void
test_cancel_mid_step (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Cancelled");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  TestStep *waiting;
  Record record = { 0, };

  record_init (&record);
  push (queue, &record, "one", 0);
  push (queue, &record, "waits", 6);
  push (queue, &record, "after", 0);
  run (queue, &record);
  assert_names (record.ran, "one, waits");
  g_assert_false (dr_operation_is_finished (op));

  waiting = dr_step_queue_get_current (queue);
  dr_operation_cancel (op);
  g_assert_cmpuint (waiting->source, !=, 0);
  g_cancellable_disconnect (dr_step_queue_get_cancellable (queue), waiting->cancelled_id);
  dr_test_wait_until (is_finished, op, 5000, "the queue to end");

  assert_names (record.ran, "one, waits");
  assert_names (record.freed, "one, waits, after");
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_CANCELLED);
  g_assert_error (dr_operation_get_error (op), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (record.finish_calls, ==, 1);
  g_clear_object (&queue);
  g_assert_true (record.context_freed);
  record_clear (&record);
}

/* Nothing to do is a success at once; a queue that never started frees its steps. */
static void
test_empty_and_unstarted (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Nothing");
  g_autoptr(DrOperation) op2 = _dr_operation_new ("Never started");
  g_autoptr(DrStepQueue) queue = dr_step_queue_new (op, DR_STEP_QUEUE_DEFAULT);
  DrStepQueue *unstarted = dr_step_queue_new (op2, DR_STEP_QUEUE_DEFAULT);
  Record record = { 0, };

  record_init (&record);
  run (queue, &record);
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
  g_assert_cmpuint (record.finish_calls, ==, 1);

  push (unstarted, &record, "never", 0);
  g_object_unref (unstarted);
  assert_names (record.ran, "");
  assert_names (record.freed, "never");
  g_assert_false (dr_operation_is_finished (op2));
  g_clear_object (&queue);
  record_clear (&record);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/step-queue/order-and-progress", test_order_and_progress);
  g_test_add_func ("/deskrun/step-queue/manual-fraction", test_manual_fraction);
  g_test_add_func ("/deskrun/step-queue/failure", test_failure);
  g_test_add_func ("/deskrun/step-queue/finish-early", test_finish_early);
  g_test_add_func ("/deskrun/step-queue/kept-error", test_kept_error);
  g_test_add_func ("/deskrun/step-queue/cancel-mid-step", test_cancel_mid_step);
  g_test_add_func ("/deskrun/step-queue/empty-and-unstarted", test_empty_and_unstarted);

  return g_test_run ();
}
