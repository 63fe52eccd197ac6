/* dr-job-row.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GitHub job on the runner page: its name, run and branch, where it stands for this
 * runner (queued for it, running here on a pod, done), and its steps when expanded. The Log
 * and GitHub buttons activate "job.log" and "job.open" with the job id.
 */
#pragma once

#include <adwaita.h>

#include "dr-job.h"

G_BEGIN_DECLS

#define DR_TYPE_JOB_ROW (dr_job_row_get_type ())
G_DECLARE_FINAL_TYPE (DrJobRow, dr_job_row, DR, JOB_ROW, AdwExpanderRow)

GtkWidget *dr_job_row_new     (DrJob    *job);
DrJob     *dr_job_row_get_job (DrJobRow *self);
/* The CSS class of the job's status dot: "success", "error", "warning", "accent", "dim-label". */
const char *dr_job_css_class  (DrJob    *job);

G_END_DECLS
