/* dr-job-feed-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the engine's poller (dr-job-poller.c) writes into a DrJobFeed.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-job-feed.h"

G_BEGIN_DECLS

/* One run as GitHub listed it, and its jobs (NULL: not read this time, keep what we have). */
typedef struct
{
  JsonObject *run;
  JsonArray  *jobs;
} DrRunJobs;

void       dr_run_jobs_free                (DrRunJobs *self);
DrRunJobs *dr_run_jobs_new                 (JsonObject *run,
                                            JsonArray  *jobs);

DrJobFeed *_dr_job_feed_new                (void);
void       _dr_job_feed_set_repositories   (DrJobFeed              *self,
                                            const char * const     *repositories);
/* Replaces what the feed holds for @repository with @runs (DrRunJobs), keeping the DrJob
 * objects of jobs still there (updated in place, so bound rows stay). */
void       _dr_job_feed_update_repository  (DrJobFeed              *self,
                                            const char             *repository,
                                            GPtrArray              *runs);
/* Places every job against this runner again (its pods or scale sets changed). */
void       _dr_job_feed_join               (DrJobFeed              *self,
                                            const DrJobJoinContext *context);
gboolean   _dr_job_feed_has_active         (DrJobFeed              *self,
                                            const char             *repository);
void       _dr_job_feed_set_polling        (DrJobFeed              *self,
                                            gboolean                polling);
void       _dr_job_feed_set_synced         (DrJobFeed              *self,
                                            gboolean                synced);
void       _dr_job_feed_set_error          (DrJobFeed              *self,
                                            const char             *error);
void       _dr_job_feed_set_rate_limit     (DrJobFeed              *self,
                                            gint64                  limit,
                                            gint64                  remaining,
                                            gint64                  reset_unix);
/* Starts following a run (@run_id 0 clears). */
void       _dr_job_feed_follow             (DrJobFeed              *self,
                                            const char             *repository,
                                            gint64                  run_id,
                                            const char             *workflow);
/* The followed run's object as GitHub gave it (status, conclusion, html_url, name). */
void       _dr_job_feed_update_followed    (DrJobFeed              *self,
                                            JsonObject             *run);
void       _dr_job_feed_set_followed_problem (DrJobFeed            *self,
                                              const char           *problem);
/* Whether the followed run is still going (not completed, no problem). */
gboolean   _dr_job_feed_is_following       (DrJobFeed              *self);

G_END_DECLS
