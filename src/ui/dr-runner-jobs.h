/* dr-runner-jobs.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The jobs part of the runner page: the run the user dispatched and follows (with Cancel Run
 * and Re-run Failed Jobs), the jobs for this runner (queued for it, running here on a pod,
 * done), the repository's jobs for other runners, and how reading GitHub goes (the rate
 * limit, or why it cannot). Its actions ("jobs.run-workflow", "jobs.cancel-run",
 *, "jobs.rerun-failed", "jobs.open-run", "job.log", "job.open") act through
 * the engine.
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_RUNNER_JOBS (dr_runner_jobs_get_type ())
G_DECLARE_FINAL_TYPE (DrRunnerJobs, dr_runner_jobs, DR, RUNNER_JOBS, GtkWidget)

void        dr_runner_jobs_set_runner (DrRunnerJobs *self,
                                       DrRunner     *runner);
void        dr_runner_jobs_set_engine (DrRunnerJobs *self,
                                       DrEngine     *engine);

/* For tests: one line per visible row of the page part ("title: subtitle"). */
char       *_dr_runner_jobs_dup_text  (DrRunnerJobs *self);

G_END_DECLS
