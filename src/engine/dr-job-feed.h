/* dr-job-feed.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What GitHub says about one runner's jobs (issue 8 §3): the DrJob items of its repository
 * (an organisation runner: of the repositories its configuration lists), how reading them
 * goes (the last error, the rate limit), and the run the user dispatched and follows. One per
 * DrRunner; the engine fills it by conditional polling (dr-poll-schedule.h).
 */
#pragma once

#include <gio/gio.h>

#include "dr-job.h"

G_BEGIN_DECLS

#define DR_TYPE_JOB_FEED (dr_job_feed_get_type ())
G_DECLARE_FINAL_TYPE (DrJobFeed, dr_job_feed, DR, JOB_FEED, GObject)

/* DrJob items: active ones first (newest run first), then the last few completed ones. */
GListModel  *dr_job_feed_get_jobs           (DrJobFeed *self);
DrJob       *dr_job_feed_lookup_job         (DrJobFeed *self,
                                             gint64     job_id);
/* The repositories ("owner/repo") read. */
const char * const *dr_job_feed_get_repositories (DrJobFeed *self);

/* Properties (read-only, notified on change):
 *  "polling"     whether the engine reads GitHub for this runner now;
 *  "synced"      TRUE once every repository was read at least once;
 *  "error"       why jobs cannot be read now (a sentence for a person), or NULL;
 *  "rate-limit-remaining", "rate-limit-limit" (-1 while unknown), "rate-limit-reset"
 *                (epoch seconds, 0 while unknown);
 *  "followed-run-id" (0: none), "followed-repository", "followed-workflow",
 *  "followed-html-url", "followed-status" (DrJobStatus), "followed-conclusion",
 *  "followed-pod" (where its job runs or ran here), "followed-problem" (a dispatched run that
 *  never appeared, or that could not be read).
 * Signal "changed": after every poll that was joined with the cluster (placements may have
 * changed without the model changing: re-filter). */
gboolean     dr_job_feed_get_polling        (DrJobFeed *self);
gboolean     dr_job_feed_get_synced         (DrJobFeed *self);
const char  *dr_job_feed_get_error          (DrJobFeed *self);
gint64       dr_job_feed_get_rate_limit_remaining (DrJobFeed *self);
gint64       dr_job_feed_get_rate_limit_limit     (DrJobFeed *self);
gint64       dr_job_feed_get_rate_limit_reset     (DrJobFeed *self);
/* "4 812 of 5 000 requests left, resets at 14:05", or NULL while unknown. */
char        *dr_job_feed_dup_rate_limit_text (DrJobFeed *self);

gint64       dr_job_feed_get_followed_run_id     (DrJobFeed *self);
const char  *dr_job_feed_get_followed_repository (DrJobFeed *self);
const char  *dr_job_feed_get_followed_workflow   (DrJobFeed *self);
const char  *dr_job_feed_get_followed_html_url   (DrJobFeed *self);
DrJobStatus  dr_job_feed_get_followed_status     (DrJobFeed *self);
const char  *dr_job_feed_get_followed_conclusion (DrJobFeed *self);
const char  *dr_job_feed_get_followed_pod        (DrJobFeed *self);
const char  *dr_job_feed_get_followed_problem    (DrJobFeed *self);
/* "Queued", "In progress on POD", "Succeeded", "Failed", … or NULL without a followed run. */
char        *dr_job_feed_dup_followed_label      (DrJobFeed *self);
/* The jobs of the followed run (transfer container), in the feed's order. */
GPtrArray   *dr_job_feed_dup_followed_jobs       (DrJobFeed *self);

G_END_DECLS
