/* dr-poll-schedule.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When to ask GitHub again about one repository's runs and jobs (issue 8 §3). Pure: the
 * caller says what it did and what it sees, and gets the time of the next poll; a main-loop
 * timer does the waiting. The cadence:
 *  - idle (nothing queued or running): at most DR_POLL_IDLE_MAX_PER_MINUTE requests in any
 *    60 s, 304s included (they are free against the rate limit, not against the network);
 *  - a queued or in-progress job present: every DR_POLL_ACTIVE_INTERVAL_S;
 *  - a run the user dispatched and follows: every DR_POLL_FOLLOW_INTERVAL_S;
 *  - back to idle as soon as nothing is active;
 *  - a rate limit close to exhaustion stretches the interval so the rest lasts until the
 *    reset; an exhausted one waits for the reset.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DR_POLL_IDLE_MAX_PER_MINUTE 2
#define DR_POLL_IDLE_INTERVAL_S     30
#define DR_POLL_ACTIVE_INTERVAL_S   10
#define DR_POLL_FOLLOW_INTERVAL_S   5
/* Below this many requests left, the remainder is spread until the reset. */
#define DR_POLL_RATE_RESERVE        200

typedef enum
{
  DR_POLL_ACTIVITY_IDLE,
  DR_POLL_ACTIVITY_JOBS,       /* a queued or running job is present */
  DR_POLL_ACTIVITY_FOLLOWING,  /* a dispatched run is being followed */
} DrPollActivity;

typedef struct _DrPollSchedule DrPollSchedule;

DrPollSchedule *dr_poll_schedule_new            (void);
void            dr_poll_schedule_free           (DrPollSchedule *self);

/* Times are g_get_real_time() microseconds, so the rate limit's reset (epoch seconds)
 * compares with them. */
void            dr_poll_schedule_record_request (DrPollSchedule *self,
                                                 gint64          now_us);
/* A poll (a cycle of requests) begins now; it answers a poke. */
void            dr_poll_schedule_record_poll    (DrPollSchedule *self,
                                                 gint64          now_us);
void            dr_poll_schedule_set_activity   (DrPollSchedule *self,
                                                 DrPollActivity  activity);
DrPollActivity  dr_poll_schedule_get_activity   (DrPollSchedule *self);
/* What the last reply said (x-ratelimit-*); @limit 0 means unknown. */
void            dr_poll_schedule_set_rate_limit (DrPollSchedule *self,
                                                 gint64          limit,
                                                 gint64          remaining,
                                                 gint64          reset_unix);
/* The next poll should happen as soon as the idle budget allows (a dispatch, a window
 * that was opened): used once, by the next dr_poll_schedule_next_poll() or poll. */
void            dr_poll_schedule_poke           (DrPollSchedule *self);
/* When the next poll may start (>= @now_us). */
gint64          dr_poll_schedule_next_poll      (DrPollSchedule *self,
                                                 gint64          now_us);
/* Requests recorded in the 60 s before @now_us. */
guint           dr_poll_schedule_requests_in_last_minute (DrPollSchedule *self,
                                                          gint64          now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrPollSchedule, dr_poll_schedule_free)

G_END_DECLS
