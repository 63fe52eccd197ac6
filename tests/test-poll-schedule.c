/* test-poll-schedule.c — how often deskrun asks GitHub about a repository
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-poll-schedule.h"
#include "dr-test-utils.h"

#define S(n) ((gint64) (n) * G_USEC_PER_SEC)
#define T0   S (1800000000)  /* a fixed "now", in real time */

/* Runs the schedule for @seconds of simulated time, one poll of @requests_per_poll
 * requests each time it says so; returns the most requests seen in any 60 s. */
static guint
simulate (DrPollSchedule *schedule,
          gint64          start,
          guint           seconds,
          guint           requests_per_poll,
          guint          *out_polls)
{
  gint64 now = start;
  guint worst = 0;
  guint polls = 0;

  while (now < start + S (seconds))
    {
      gint64 next = dr_poll_schedule_next_poll (schedule, now);

      g_assert_cmpint (next, >=, now);
      now = next;
      if (now >= start + S (seconds))
        break;
      dr_poll_schedule_record_poll (schedule, now);
      for (guint i = 0; i < requests_per_poll; i++)
        dr_poll_schedule_record_request (schedule, now);
      worst = MAX (worst, dr_poll_schedule_requests_in_last_minute (schedule, now));
      polls++;
    }
  if (out_polls != NULL)
    *out_polls = polls;
  return worst;
}

static void
test_idle_budget (void)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();
  guint polls = 0;

  /* The first poll is at once. */
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, T0), ==, T0);
  g_assert_cmpuint (simulate (schedule, T0, 600, 1, &polls), <=, DR_POLL_IDLE_MAX_PER_MINUTE);
  /* Ten minutes of idle at one request a poll: about two polls a minute, never more. */
  g_assert_cmpuint (polls, >=, 18);
  g_assert_cmpuint (polls, <=, 21);
}

static void
test_idle_expensive_polls (void)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();
  guint polls = 0;

  /* A poll that also had to read a run's jobs (two requests) pushes the next one out so the
   * minute still holds no more than the budget. */
  g_assert_cmpuint (simulate (schedule, T0, 600, 2, &polls), <=, DR_POLL_IDLE_MAX_PER_MINUTE);
  g_assert_cmpuint (polls, >=, 9);
  g_assert_cmpuint (polls, <=, 11);
}

static void
test_active_and_back (void)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();
  guint polls = 0;
  gint64 now = T0;

  dr_poll_schedule_record_poll (schedule, now);
  dr_poll_schedule_record_request (schedule, now);

  /* A queued or running job: every 10 s. */
  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_JOBS);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now), ==, now + S (10));
  simulate (schedule, now + S (10), 60, 2, &polls);
  g_assert_cmpuint (polls, ==, 6);

  /* Following a dispatched run: every 5 s. */
  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_FOLLOWING);
  now = T0 + S (100);
  dr_poll_schedule_record_poll (schedule, now);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now + S (1)), ==, now + S (5));
  simulate (schedule, now + S (5), 60, 3, &polls);
  g_assert_cmpuint (polls, ==, 12);

  /* Nothing active any more: back to the idle budget at once. */
  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_IDLE);
  now = T0 + S (165);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now), >=, now + S (30));
  g_assert_cmpuint (simulate (schedule, now + S (60), 300, 1, NULL), <=,
                    DR_POLL_IDLE_MAX_PER_MINUTE);
}

static void
test_poke (void)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();

  dr_poll_schedule_record_poll (schedule, T0);
  dr_poll_schedule_record_request (schedule, T0);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, T0 + S (1)), ==, T0 + S (30));

  /* A dispatch: poll now, once, while following. */
  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_FOLLOWING);
  dr_poll_schedule_poke (schedule);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, T0 + S (1)), ==, T0 + S (1));
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, T0 + S (1)), ==, T0 + S (5));

  /* At idle a poke is as soon as the budget allows, not sooner. */
  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_IDLE);
  dr_poll_schedule_record_request (schedule, T0 + S (2));
  dr_poll_schedule_poke (schedule);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, T0 + S (3)), >, T0 + S (60));
}

static void
test_rate_limit (void)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();
  gint64 now = T0;
  gint64 next;

  dr_poll_schedule_set_activity (schedule, DR_POLL_ACTIVITY_FOLLOWING);
  dr_poll_schedule_record_poll (schedule, now);

  /* Plenty left: the plain interval. */
  dr_poll_schedule_set_rate_limit (schedule, 5000, 4000, T0 / G_USEC_PER_SEC + 1800);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now), ==, now + S (5));

  /* 20 left for 30 minutes: ten polls of two requests, one every three minutes. */
  dr_poll_schedule_set_rate_limit (schedule, 5000, 20, T0 / G_USEC_PER_SEC + 1800);
  next = dr_poll_schedule_next_poll (schedule, now);
  g_assert_cmpint (next, ==, now + S (180));

  /* None left: wait for the reset. */
  dr_poll_schedule_set_rate_limit (schedule, 5000, 0, T0 / G_USEC_PER_SEC + 1800);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now), ==, now + S (1800));

  /* A reset in the past no longer holds anything back. */
  dr_poll_schedule_set_rate_limit (schedule, 5000, 0, T0 / G_USEC_PER_SEC - 5);
  g_assert_cmpint (dr_poll_schedule_next_poll (schedule, now), ==, now + S (5));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/poll-schedule/idle-budget", test_idle_budget);
  g_test_add_func ("/deskrun/poll-schedule/idle-expensive-polls", test_idle_expensive_polls);
  g_test_add_func ("/deskrun/poll-schedule/active-and-back", test_active_and_back);
  g_test_add_func ("/deskrun/poll-schedule/poke", test_poke);
  g_test_add_func ("/deskrun/poll-schedule/rate-limit", test_rate_limit);

  return g_test_run ();
}
