/* dr-job-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the engine fills a DrJob from GitHub's JSON and the join. Each update notifies only
 * what changed, so a bound row does not flicker on every poll.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-job.h"

G_BEGIN_DECLS

/* The job id of a job object from GitHub, or 0 when it has none (the object is skipped). */
gint64   _dr_job_id_from_json        (JsonObject   *job);
DrJob   *_dr_job_new                 (gint64        id);
/* From one element of a run's `jobs` array and its run (nullable: the run number and
 * attempt then stay). Anything missing or of another type reads as absent; nothing
 * asserts on GitHub's reply. */
void     _dr_job_update_from_json    (DrJob        *self,
                                      JsonObject   *job,
                                      JsonObject   *run,
                                      const char   *repository);
void     _dr_job_set_placement       (DrJob          *self,
                                      DrJobPlacement  placement,
                                      const char     *pod,
                                      const char     *scale_set);
/* Parses GitHub's ISO 8601 time, or NULL. */
GDateTime *_dr_job_parse_time        (const char   *text);

G_END_DECLS
