/* dr-engine-jobs.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's GitHub verbs (issue 8 §3–§6), part of the dr-engine.h facade: reading each
 * runner's jobs (DrRunner "job-feed"), the Run Workflow dialog's choices, dispatching and
 * following a run, cancelling and re-running it, job logs, and checking a credential. The
 * credential always comes from the keyring and is never logged; no GitHub type crosses
 * this header. Included by dr-engine.h (include that).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-credential.h"
#include "dr-dispatch.h"
#include "dr-operation.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

/* The GitHub repositories ("owner/repo") a runner's jobs come from: its repository, or for an
 * organisation runner the ones its configuration lists. */
GStrv           dr_engine_dup_job_repositories       (DrEngine            *self,
                                                      const char          *runner_name);

/* Reads GitHub for every configured runner, conditionally and frugally (dr-poll-schedule.h),
 * until set to FALSE. The window turns it on; deskrunctl reads once instead. */
void            dr_engine_set_jobs_polling           (DrEngine            *self,
                                                      gboolean             polling);
gboolean        dr_engine_get_jobs_polling           (DrEngine            *self);

/* Reads @runner_name's repositories once now and joins the jobs into its feed. Fails with
 * the first error (the feed's "error" says it too). */
void            dr_engine_refresh_jobs_async         (DrEngine            *self,
                                                      const char          *runner_name,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        dr_engine_refresh_jobs_finish        (DrEngine            *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* What may be dispatched on @repository (NULL: the runner's first): the default branch and
 * the branches, the dispatchable workflows with their inputs and routes against this
 * runner. Each workflow file is read through the contents API. */
void            dr_engine_list_dispatch_targets_async  (DrEngine            *self,
                                                        const char          *runner_name,
                                                        const char          *repository,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
DrDispatchTargets *dr_engine_list_dispatch_targets_finish (DrEngine          *self,
                                                           GAsyncResult      *result,
                                                           GError           **error);

/* Dispatches @workflow (a path, file name or id as GitHub knows it) on @ref with @inputs
 * (nullable; from dr_dispatch_build_inputs()), asking for the run's details. The operation
 * succeeds once the run is known: at once after a 200 with its id; after a 204 (older
 * GitHub Enterprise Server) once a workflow_dispatch run of that workflow on @ref created
 * since the dispatch shows up, or it fails after DR_ENGINE_DISPATCH_FIND_TIMEOUT_S saying
 * that it did not appear. From then on the runner's feed follows the run. */
#define DR_ENGINE_DISPATCH_FIND_TIMEOUT_S 60
DrOperation    *dr_engine_dispatch                   (DrEngine            *self,
                                                      const char          *runner_name,
                                                      const char          *repository,
                                                      const char          *workflow,
                                                      const char          *ref,
                                                      JsonObject          *inputs);
/* The followed run of @runner_name's feed. */
DrOperation    *dr_engine_cancel_run                 (DrEngine            *self,
                                                      const char          *runner_name);
DrOperation    *dr_engine_rerun_failed_jobs          (DrEngine            *self,
                                                      const char          *runner_name);

/* A completed job's log from GitHub, cached on disk under $XDG_CACHE_HOME/deskrun/job-logs
 * (a completed job's log never changes). A running job's log is its pod's:
 * dr_engine_open_runner_log(). */
void            dr_engine_fetch_job_log_async        (DrEngine            *self,
                                                      const char          *runner_name,
                                                      gint64               job_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GBytes         *dr_engine_fetch_job_log_finish       (DrEngine            *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* What a credential can do against what deskrun needs (FACTS.md §6.3). */
typedef enum
{
  DR_CREDENTIAL_NEED_UNKNOWN,
  DR_CREDENTIAL_NEED_OK,
  DR_CREDENTIAL_NEED_MISSING,
} DrCredentialNeedState;

typedef struct
{
  char                  *title;   /* "Register runners", translated */
  DrCredentialNeedState  state;
  char                  *detail;  /* what grants it, what to add, or why unknown */
} DrCredentialNeed;

typedef struct
{
  char      *token_kind;  /* "classic personal access token", … */
  char      *scopes;      /* a classic token's scopes, or NULL */
  char      *expires;     /* when GitHub says it expires, or NULL */
  GPtrArray *needs;       /* DrCredentialNeed, in the order of FACTS.md §6.3 */
} DrCredentialReport;

void            dr_credential_report_free            (DrCredentialReport  *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrCredentialReport, dr_credential_report_free)
/* Every need met. */
gboolean        dr_credential_report_all_ok          (const DrCredentialReport *report);

/* Checks @credential for @spec's repository (NULL @credential: the one @spec names in the
 * keyring). Reads only. */
void            dr_engine_check_credential_async     (DrEngine            *self,
                                                      const DrRunnerSpec  *spec,
                                                      const DrCredential  *credential,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
DrCredentialReport *dr_engine_check_credential_finish (DrEngine           *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
