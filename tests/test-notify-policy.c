/* test-notify-policy.c — when notifications go out, without a bus or a clock
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-notify-policy.h"
#include "dr-test-utils.h"

#define S (G_USEC_PER_SEC)

typedef struct
{
  DrNotifyPolicy *policy;
  GPtrArray      *log;   /* "send ID: TITLE | BODY" or "withdraw ID" */
} Fixture;

static void
send_cb (DrNotifyPolicy *policy,
         DrNotice       *notice,
         Fixture        *fixture)
{
  g_ptr_array_add (fixture->log, g_strdup_printf ("send %s: %s | %s", notice->id, notice->title,
                                                  notice->body ? notice->body : ""));
}

static void
withdraw_cb (DrNotifyPolicy *policy,
             const char     *id,
             Fixture        *fixture)
{
  g_ptr_array_add (fixture->log, g_strdup_printf ("withdraw %s", id));
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->policy = dr_notify_policy_new (30 * S);
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->policy, "send", G_CALLBACK (send_cb), fixture);
  g_signal_connect (fixture->policy, "withdraw", G_CALLBACK (withdraw_cb), fixture);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_assert_finalize_object (fixture->policy);
  g_ptr_array_unref (fixture->log);
}

static char *
take_log (Fixture *fixture)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < fixture->log->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (fixture->log, i));
  g_ptr_array_set_size (fixture->log, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define ASSERT_LOG(fixture, expected) \
  G_STMT_START { g_autofree char *log_ = take_log (fixture); \
                 g_assert_cmpstr (log_, ==, expected); } G_STMT_END

static DrNotice *
job (const char *runner,
     const char *title)
{
  g_autofree char *id = g_strdup_printf ("job-%s", runner);

  return dr_notice_new (id, runner, DR_NOTICE_JOBS, title, runner);
}

static DrNotice *
listener (const char *runner)
{
  g_autofree char *id = g_strdup_printf ("listener-%s", runner);
  DrNotice *notice = dr_notice_new (id, runner, DR_NOTICE_PROBLEMS, "crash-looping", NULL);

  notice->condition = TRUE;
  return notice;
}

/* A storm of job events on one runner: the first goes out at once, the rest wait for the
 * interval and go out as one summary; another runner is not held back. */
static void
test_storm (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 t = 1000 * S;

  dr_notify_policy_post (fixture->policy, job ("web", "started 1"), t);
  ASSERT_LOG (fixture, "send job-web: started 1 | web\n");
  g_assert_cmpint (dr_notify_policy_get_deadline (fixture->policy), ==, 0);

  for (int i = 0; i < 50; i++)
    {
      g_autofree char *title = g_strdup_printf ("event %d", i);

      dr_notify_policy_post (fixture->policy, job ("web", title), t + i * S / 10);
    }
  dr_notify_policy_post (fixture->policy, listener ("web"), t + 6 * S);
  ASSERT_LOG (fixture, "");
  g_assert_cmpint (dr_notify_policy_get_deadline (fixture->policy), ==, t + 30 * S);

  dr_notify_policy_post (fixture->policy, job ("docs", "started"), t + 7 * S);
  ASSERT_LOG (fixture, "send job-docs: started | docs\n");

  dr_notify_policy_flush (fixture->policy, t + 29 * S);
  ASSERT_LOG (fixture, "");
  /* The 50 job events replaced each other (one id); with the listener that is two. */
  dr_notify_policy_flush (fixture->policy, t + 30 * S);
  ASSERT_LOG (fixture, "send runner-summary-web: web: 2 updates | event 49\ncrash-looping\n");
  g_assert_cmpint (dr_notify_policy_get_deadline (fixture->policy), ==, 0);

  /* A single notice after a quiet interval goes out as itself. */
  dr_notify_policy_post (fixture->policy, job ("web", "finished"), t + 61 * S);
  ASSERT_LOG (fixture, "send job-web: finished | web\n");
}

static void
test_one_waiting (Fixture       *fixture,
                  gconstpointer  data)
{
  dr_notify_policy_post (fixture->policy, job ("web", "started"), 10 * S);
  dr_notify_policy_post (fixture->policy, job ("web", "finished"), 12 * S);
  ASSERT_LOG (fixture, "send job-web: started | web\n");
  dr_notify_policy_flush (fixture->policy, 40 * S);
  ASSERT_LOG (fixture, "send job-web: finished | web\n");
}

/* A condition on screen goes when it clears; resending it unchanged is no news. */
static void
test_withdraw (Fixture       *fixture,
               gconstpointer  data)
{
  DrNotice *cluster = dr_notice_new ("cluster", NULL, DR_NOTICE_PROBLEMS, "stopped", NULL);

  cluster->condition = TRUE;
  dr_notify_policy_post (fixture->policy, dr_notice_copy (cluster), S);
  dr_notify_policy_post (fixture->policy, dr_notice_copy (cluster), 2 * S);
  dr_notify_policy_post (fixture->policy, listener ("web"), 3 * S);
  ASSERT_LOG (fixture, "send cluster: stopped | \nsend listener-web: crash-looping | \n");

  dr_notify_policy_withdraw (fixture->policy, "cluster");
  dr_notify_policy_withdraw (fixture->policy, "cluster");
  ASSERT_LOG (fixture, "withdraw cluster\n");
  /* Again after it cleared: news again. */
  dr_notify_policy_post (fixture->policy, cluster, 4 * S);
  ASSERT_LOG (fixture, "send cluster: stopped | \n");

  /* A condition that clears while it waits never shows. */
  dr_notify_policy_withdraw (fixture->policy, "listener-web");
  ASSERT_LOG (fixture, "withdraw listener-web\n");
  dr_notify_policy_post (fixture->policy, listener ("web"), 5 * S);
  dr_notify_policy_withdraw (fixture->policy, "listener-web");
  dr_notify_policy_flush (fixture->policy, 40 * S);
  ASSERT_LOG (fixture, "");
}

/* A summary of conditions only goes when the last of them clears; one that told of an
 * event stays. */
static void
test_summary_withdraw (Fixture       *fixture,
                       gconstpointer  data)
{
  DrNotice *missing = dr_notice_new ("cluster-web", "web", DR_NOTICE_PROBLEMS, "missing", NULL);

  missing->condition = TRUE;
  dr_notify_policy_post (fixture->policy, job ("web", "started"), S);
  dr_notify_policy_post (fixture->policy, listener ("web"), 2 * S);
  dr_notify_policy_post (fixture->policy, missing, 3 * S);
  dr_notify_policy_flush (fixture->policy, 31 * S);
  ASSERT_LOG (fixture, "send job-web: started | web\n"
                       "send runner-summary-web: web: 2 updates | crash-looping\nmissing\n");
  dr_notify_policy_withdraw (fixture->policy, "listener-web");
  ASSERT_LOG (fixture, "");
  dr_notify_policy_withdraw (fixture->policy, "cluster-web");
  ASSERT_LOG (fixture, "withdraw runner-summary-web\n");

  dr_notify_policy_post (fixture->policy, listener ("web"), 70 * S);
  dr_notify_policy_post (fixture->policy, job ("web", "finished"), 71 * S);
  dr_notify_policy_flush (fixture->policy, 100 * S);
  ASSERT_LOG (fixture, "send listener-web: crash-looping | \n"
                       "send job-web: finished | web\n");
  dr_notify_policy_post (fixture->policy, listener ("docs"), 101 * S);
  take_log (fixture);
  dr_notify_policy_withdraw (fixture->policy, "listener-web");
  ASSERT_LOG (fixture, "withdraw listener-web\n");
}

static void
test_disabled (Fixture       *fixture,
               gconstpointer  data)
{
  dr_notify_policy_set_enabled (fixture->policy, DR_NOTICE_JOBS, FALSE);
  dr_notify_policy_post (fixture->policy, job ("web", "started"), S);
  dr_notify_policy_post (fixture->policy, listener ("web"), 2 * S);
  ASSERT_LOG (fixture, "send listener-web: crash-looping | \n");
  dr_notify_policy_set_enabled (fixture->policy, DR_NOTICE_JOBS, TRUE);
  dr_notify_policy_post (fixture->policy, job ("web", "started"), 40 * S);
  ASSERT_LOG (fixture, "send job-web: started | web\n");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add ("/deskrun/notify-policy/storm", Fixture, NULL, set_up, test_storm, tear_down);
  g_test_add ("/deskrun/notify-policy/one-waiting", Fixture, NULL, set_up, test_one_waiting,
              tear_down);
  g_test_add ("/deskrun/notify-policy/withdraw", Fixture, NULL, set_up, test_withdraw,
              tear_down);
  g_test_add ("/deskrun/notify-policy/summary-withdraw", Fixture, NULL, set_up,
              test_summary_withdraw, tear_down);
  g_test_add ("/deskrun/notify-policy/disabled", Fixture, NULL, set_up, test_disabled,
              tear_down);

  return g_test_run ();
}
