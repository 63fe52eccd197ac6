/* dr-poll-schedule.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-poll-schedule.h"

#define MINUTE_US (60 * G_USEC_PER_SEC)

struct _DrPollSchedule
{
  GArray         *requests;     /* gint64 times, oldest first, the last minute only */
  gint64          last_poll_us; /* 0: never */
  DrPollActivity  activity;
  gint64          limit;
  gint64          remaining;
  gint64          reset_unix;
  gboolean        poked;
};

DrPollSchedule *
dr_poll_schedule_new (void)
{
  DrPollSchedule *self = g_new0 (DrPollSchedule, 1);

  self->requests = g_array_new (FALSE, FALSE, sizeof (gint64));
  return self;
}

void
dr_poll_schedule_free (DrPollSchedule *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->requests);
  g_free (self);
}

static void
forget_old (DrPollSchedule *self,
            gint64          now_us)
{
  guint drop = 0;

  while (drop < self->requests->len &&
         g_array_index (self->requests, gint64, drop) <= now_us - MINUTE_US)
    drop++;
  if (drop > 0)
    g_array_remove_range (self->requests, 0, drop);
}

void
dr_poll_schedule_record_request (DrPollSchedule *self,
                                 gint64          now_us)
{
  g_return_if_fail (self != NULL);

  forget_old (self, now_us);
  g_array_append_val (self->requests, now_us);
}

void
dr_poll_schedule_record_poll (DrPollSchedule *self,
                              gint64          now_us)
{
  g_return_if_fail (self != NULL);
  self->last_poll_us = now_us;
  /* A poke asks for one poll soon: this is it. */
  self->poked = FALSE;
}

void
dr_poll_schedule_set_activity (DrPollSchedule *self,
                               DrPollActivity  activity)
{
  g_return_if_fail (self != NULL);
  self->activity = activity;
}

DrPollActivity
dr_poll_schedule_get_activity (DrPollSchedule *self)
{
  g_return_val_if_fail (self != NULL, DR_POLL_ACTIVITY_IDLE);
  return self->activity;
}

void
dr_poll_schedule_set_rate_limit (DrPollSchedule *self,
                                 gint64          limit,
                                 gint64          remaining,
                                 gint64          reset_unix)
{
  g_return_if_fail (self != NULL);
  self->limit = limit;
  self->remaining = remaining;
  self->reset_unix = reset_unix;
}

void
dr_poll_schedule_poke (DrPollSchedule *self)
{
  g_return_if_fail (self != NULL);
  self->poked = TRUE;
}

guint
dr_poll_schedule_requests_in_last_minute (DrPollSchedule *self,
                                          gint64          now_us)
{
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->requests->len; i++)
    if (g_array_index (self->requests, gint64, i) > now_us - MINUTE_US)
      count++;
  return count;
}

/* The earliest time at which one more request keeps the last minute within the idle
 * budget: after the request that would otherwise be the budget's last has aged out. */
static gint64
idle_budget_allows (DrPollSchedule *self,
                    gint64          now_us)
{
  guint keep = DR_POLL_IDLE_MAX_PER_MINUTE - 1;  /* the ones that may stay in the window */
  guint len;

  forget_old (self, now_us);
  len = self->requests->len;
  if (len <= keep)
    return now_us;
  /* Of the newest @keep requests none needs to go; the one before them must. */
  return MAX (now_us, g_array_index (self->requests, gint64, len - keep - 1) + MINUTE_US + 1);
}

gint64
dr_poll_schedule_next_poll (DrPollSchedule *self,
                            gint64          now_us)
{
  gint64 next;
  gint64 interval_us;

  g_return_val_if_fail (self != NULL, now_us);

  switch (self->activity)
    {
    case DR_POLL_ACTIVITY_FOLLOWING:
      interval_us = DR_POLL_FOLLOW_INTERVAL_S * G_USEC_PER_SEC;
      break;
    case DR_POLL_ACTIVITY_JOBS:
      interval_us = DR_POLL_ACTIVE_INTERVAL_S * G_USEC_PER_SEC;
      break;
    case DR_POLL_ACTIVITY_IDLE:
    default:
      interval_us = DR_POLL_IDLE_INTERVAL_S * G_USEC_PER_SEC;
      break;
    }

  if (self->last_poll_us == 0 || self->poked)
    next = now_us;
  else
    next = MAX (now_us, self->last_poll_us + interval_us);
  self->poked = FALSE;

  if (self->activity == DR_POLL_ACTIVITY_IDLE)
    next = MAX (next, idle_budget_allows (self, now_us));

  /* The rate limit: exhausted waits for the reset; nearly exhausted spreads what is left
   * (counted in polls of about two requests) over the time until the reset. */
  if (self->limit > 0 && self->reset_unix > 0)
    {
      gint64 reset_us = self->reset_unix * G_USEC_PER_SEC;

      if (self->remaining <= 0 && reset_us > now_us)
        next = MAX (next, reset_us);
      else if (self->remaining < DR_POLL_RATE_RESERVE && reset_us > now_us)
        {
          gint64 polls_left = MAX (1, self->remaining / 2);
          gint64 spread = (reset_us - now_us) / polls_left;
          gint64 base = self->last_poll_us != 0 ? self->last_poll_us : now_us;

          next = MAX (next, base + spread);
        }
    }

  return next;
}
