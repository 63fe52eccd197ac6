/* dr-notify-policy.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When a notification goes out, and when it is withdrawn: pure decisions, no bus, no clock
 * (callers pass the time), so tests can play a storm in microseconds.
 *
 *  - At most one notification per runner per interval (30 s in the app). What comes in
 *    between waits; at the end of the interval one notification goes out: the notice itself
 *    when it is alone, else a summary of all of them under the runner's summary id.
 *  - A notice with the id of one on screen replaces it; the same text again is not resent.
 *  - Withdrawing an id drops it while it waits and removes it from the screen; a summary is
 *    withdrawn once every condition it told of has cleared and it told of no one-off event.
 *  - Notices of a disabled category are dropped.
 *
 * Signals: "send" (DrNotice *), "withdraw" (const char *id).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DR_NOTICE_JOBS,        /* a job started or ended on a local runner */
  DR_NOTICE_PROBLEMS,    /* a listener, the cluster, a credential */
  DR_NOTICE_OPERATIONS,  /* an operation failed while the window was closed */
} DrNoticeCategory;

#define DR_NOTICE_N_CATEGORIES 3

typedef struct
{
  char             *id;
  char             *runner;         /* the rate limit's key, or NULL for none */
  DrNoticeCategory  category;
  gboolean          condition;      /* lasts until withdrawn (not a one-off event) */
  gboolean          urgent;
  char             *title;
  char             *body;
  char             *action;         /* "app.NAME", with target */
  GVariant         *target;
  char             *button_label;
  char             *button_action;
  GVariant         *button_target;
} DrNotice;

#define DR_TYPE_NOTICE (dr_notice_get_type ())
GType     dr_notice_get_type   (void) G_GNUC_CONST;
DrNotice *dr_notice_new        (const char       *id,
                                const char       *runner,
                                DrNoticeCategory  category,
                                const char       *title,
                                const char       *body);
DrNotice *dr_notice_copy       (const DrNotice   *notice);
void      dr_notice_free       (DrNotice         *notice);
/* @target is sunk; NULL for none. */
void      dr_notice_set_action (DrNotice         *notice,
                                const char       *action,
                                GVariant         *target);
void      dr_notice_set_button (DrNotice         *notice,
                                const char       *label,
                                const char       *action,
                                GVariant         *target);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrNotice, dr_notice_free)

#define DR_TYPE_NOTIFY_POLICY (dr_notify_policy_get_type ())
G_DECLARE_FINAL_TYPE (DrNotifyPolicy, dr_notify_policy, DR, NOTIFY_POLICY, GObject)

/* @interval in microseconds, as g_get_monotonic_time() counts. */
DrNotifyPolicy *dr_notify_policy_new          (gint64            interval);
void            dr_notify_policy_set_enabled  (DrNotifyPolicy   *self,
                                               DrNoticeCategory  category,
                                               gboolean          enabled);
/* Takes @notice. */
void            dr_notify_policy_post         (DrNotifyPolicy   *self,
                                               DrNotice         *notice,
                                               gint64            now);
void            dr_notify_policy_withdraw     (DrNotifyPolicy   *self,
                                               const char       *id);
/* Sends what waited and is due at @now. */
void            dr_notify_policy_flush        (DrNotifyPolicy   *self,
                                               gint64            now);
/* When the next flush is due, or 0 when nothing waits. */
gint64          dr_notify_policy_get_deadline (DrNotifyPolicy   *self);
/* The id a runner's summary goes out under. */
char           *dr_notify_policy_summary_id   (const char       *runner);

G_END_DECLS
