/* dr-engine-verb-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Joins the files of DrEngine's runner verbs: dr-engine-verb.c (what they share),
 * dr-engine-apply.c and dr-engine-remove.c.
 */
#pragma once

#include "dr-arc-api.h"
#include "dr-arc-render.h"
#include "dr-engine-private.h"
#include "dr-kube-client.h"
#include "dr-kube-store.h"
#include "dr-step-queue.h"

G_BEGIN_DECLS



/* The helper kinds a scale set may have, in the order they are deleted. */
typedef struct
{
  const char *api_version;
  const char *kind;
} DrVerbHelperKind;

#define DR_VERB_N_HELPER_KINDS 5
extern const DrVerbHelperKind _dr_verb_helper_kinds[DR_VERB_N_HELPER_KINDS];

/* What the steps of one verb share: its DrStepQueue's context. */
typedef struct
{
  DrEngine           *engine;
  DrKubeClient       *client;      /* NULL when the verb works offline (forgetting only) */
  gboolean            force;
  gboolean            keep_config;
  gboolean            namespace_applied;

  char               *runner_namespace;
  char               *controller_namespace;
  DrArcRenderOptions  options;     /* points into the strings above */
} Verb;

/* Every step's data begins with this. */
typedef struct
{
  char     *runner;
  /* Removes what an apply that succeeded no longer renders: failures say so. */
  gboolean  pruning;
} StepBase;

/* Prepare an apply, resolve a removal, forget. */
typedef struct
{
  StepBase  base;
} RunnerStep;

/* Scale, delete, wait until gone, clear: one object. */
typedef struct
{
  StepBase        base;
  DrArcObjectRef *ref;
  guint           min_runners;     /* scale */
  guint           max_runners;
  gboolean        release_cleanup; /* delete of a helper whose scale set is gone */
  DrKubeStore    *wait_store;      /* wait until gone */
  JsonNode       *last_seen;
} RefStep;

/* The plural of a kind deskrun renders or lists, or NULL. */

void            _dr_verb_step_base_init      (StepBase             *base,
                                              const char           *runner,
                                              gboolean              pruning);
void            _dr_verb_step_base_clear     (StepBase             *base);
RunnerStep     *_dr_verb_runner_step_new     (const char           *runner);
void            _dr_verb_runner_step_free    (gpointer              data);
RefStep        *_dr_verb_ref_step_new        (const char           *runner,
                                              const DrArcObjectRef *ref,
                                              gboolean              pruning);
void            _dr_verb_ref_step_free       (gpointer              data);
void            _dr_verb_ref_step_stop_waiting (RefStep            *step);
/* Queues @klass on @ref right after the current step (after those queued before it). */
void            _dr_verb_push_ref_next       (DrStepQueue          *queue,
                                              const DrStepClass    *klass,
                                              const char           *runner,
                                              const DrArcObjectRef *ref,
                                              gboolean              pruning);

DrArcObjectRef *_dr_verb_ref_new             (const char           *api_version,
                                              const char           *kind,
                                              const char           *namespace_,
                                              const char           *name);
DrArcObjectRef *_dr_verb_ref_copy            (const DrArcObjectRef *ref);
char           *_dr_verb_ref_path            (const DrArcObjectRef *ref);
/* "secret/web-gha-rs-github-secret", as kubectl names objects. */
char           *_dr_verb_ref_display         (const DrArcObjectRef *ref);
DrArcObjectRef *_dr_verb_ref_from_object     (JsonNode             *node,
                                              const char           *default_api_version,
                                              const char           *default_kind);
/* The finalizers of @node, comma-separated, or NULL when it has none. */
char           *_dr_verb_dup_finalizers      (JsonNode             *node);

/* A queue for @operation whose steps share a new Verb. */
DrStepQueue    *_dr_verb_queue_new           (DrEngine             *engine,
                                              DrOperation          *operation);
/* Fails the verb; a pruning step says that the runner was updated all the same. */
void            _dr_verb_fail                (DrStepQueue          *queue,
                                              GError               *error);
GError         *_dr_verb_not_connected_error (void);
/* Tracks the operation and starts @queue (taken); returns the operation. */
DrOperation    *_dr_verb_start               (DrEngine             *self,
                                              DrStepQueue          *queue);
/* An operation that failed before it began, so every verb can be followed the same way. */
DrOperation    *_dr_verb_failed              (DrEngine             *self,
                                              const char           *title,
                                              GError               *error);

/* dr-engine-remove.c: queues, right after the current step, the removal of @scale_sets and
 * @helpers (NULL: found by their labels once the scale sets are gone), in the order that
 * avoids stuck finalizers (FACTS.md §2.8), or with their finalizers cleared when @force.
 * Removing a runner and pruning what an apply no longer renders (@pruning) both come here. */
void            _dr_verb_push_removal_next   (DrStepQueue          *queue,
                                              const char           *runner,
                                              GPtrArray            *scale_sets,
                                              GPtrArray            *helpers,
                                              gboolean              force,
                                              gboolean              pruning);

G_END_DECLS
