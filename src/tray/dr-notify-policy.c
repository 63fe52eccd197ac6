/* dr-notify-policy.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-notify-policy.h"

G_DEFINE_BOXED_TYPE (DrNotice, dr_notice, dr_notice_copy, dr_notice_free)

DrNotice *
dr_notice_new (const char       *id,
               const char       *runner,
               DrNoticeCategory  category,
               const char       *title,
               const char       *body)
{
  DrNotice *notice = g_new0 (DrNotice, 1);

  g_return_val_if_fail (id != NULL && title != NULL, NULL);

  notice->id = g_strdup (id);
  notice->runner = g_strdup (runner);
  notice->category = category;
  notice->title = g_strdup (title);
  notice->body = g_strdup (body);
  return notice;
}

DrNotice *
dr_notice_copy (const DrNotice *notice)
{
  DrNotice *copy = dr_notice_new (notice->id, notice->runner, notice->category, notice->title,
                                  notice->body);

  copy->condition = notice->condition;
  copy->urgent = notice->urgent;
  copy->action = g_strdup (notice->action);
  copy->target = notice->target ? g_variant_ref (notice->target) : NULL;
  copy->button_label = g_strdup (notice->button_label);
  copy->button_action = g_strdup (notice->button_action);
  copy->button_target = notice->button_target ? g_variant_ref (notice->button_target) : NULL;
  return copy;
}

void
dr_notice_free (DrNotice *notice)
{
  if (notice == NULL)
    return;
  g_free (notice->id);
  g_free (notice->runner);
  g_free (notice->title);
  g_free (notice->body);
  g_free (notice->action);
  g_clear_pointer (&notice->target, g_variant_unref);
  g_free (notice->button_label);
  g_free (notice->button_action);
  g_clear_pointer (&notice->button_target, g_variant_unref);
  g_free (notice);
}

void
dr_notice_set_action (DrNotice   *notice,
                      const char *action,
                      GVariant   *target)
{
  g_free (notice->action);
  notice->action = g_strdup (action);
  g_clear_pointer (&notice->target, g_variant_unref);
  notice->target = target ? g_variant_ref_sink (target) : NULL;
}

void
dr_notice_set_button (DrNotice   *notice,
                      const char *label,
                      const char *action,
                      GVariant   *target)
{
  g_free (notice->button_label);
  notice->button_label = g_strdup (label);
  g_free (notice->button_action);
  notice->button_action = g_strdup (action);
  g_clear_pointer (&notice->button_target, g_variant_unref);
  notice->button_target = target ? g_variant_ref_sink (target) : NULL;
}

/* One runner's rate limit. */
typedef struct
{
  char       *runner;
  gint64      last_sent;       /* 0: never */
  GPtrArray  *pending;         /* DrNotice *, in arrival order */
  GHashTable *summary_open;    /* condition ids in the summary on screen, not cleared yet */
  gboolean    summary_shown;
  gboolean    summary_has_events;
} Bucket;

struct _DrNotifyPolicy
{
  GObject     parent_instance;

  gint64      interval;
  gboolean    enabled[DR_NOTICE_N_CATEGORIES];
  GHashTable *buckets;         /* runner -> Bucket */
  GHashTable *shown;           /* id -> "title\nbody" of what is on screen */
};

G_DEFINE_FINAL_TYPE (DrNotifyPolicy, dr_notify_policy, G_TYPE_OBJECT)

enum { SEND, WITHDRAW, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_free (bucket->runner);
  g_ptr_array_unref (bucket->pending);
  g_hash_table_unref (bucket->summary_open);
  g_free (bucket);
}

static Bucket *
get_bucket (DrNotifyPolicy *self,
            const char     *runner)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, runner);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->runner = g_strdup (runner);
      bucket->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_notice_free);
      bucket->summary_open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->buckets, bucket->runner, bucket);
    }
  return bucket;
}

char *
dr_notify_policy_summary_id (const char *runner)
{
  return g_strdup_printf ("runner-summary-%s", runner);
}

static void
send (DrNotifyPolicy *self,
      DrNotice       *notice)
{
  g_hash_table_insert (self->shown, g_strdup (notice->id),
                       g_strdup_printf ("%s\n%s", notice->title,
                                        notice->body ? notice->body : ""));
  g_signal_emit (self, signals[SEND], 0, notice);
}

static void
send_summary (DrNotifyPolicy *self,
              Bucket         *bucket)
{
  g_autofree char *id = dr_notify_policy_summary_id (bucket->runner);
  g_autofree char *title = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(DrNotice) summary = NULL;
  DrNoticeCategory category = DR_NOTICE_JOBS;
  gboolean urgent = FALSE;

  bucket->summary_has_events = FALSE;
  g_hash_table_remove_all (bucket->summary_open);
  for (guint i = 0; i < bucket->pending->len; i++)
    {
      DrNotice *notice = g_ptr_array_index (bucket->pending, i);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, notice->title);
      urgent |= notice->urgent;
      if (notice->category == DR_NOTICE_PROBLEMS)
        category = DR_NOTICE_PROBLEMS;
      if (notice->condition)
        g_hash_table_add (bucket->summary_open, g_strdup (notice->id));
      else
        bucket->summary_has_events = TRUE;
    }
  /* Translators: a summary notification, "web: 3 updates" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u update", "%s: %u updates",
                                        bucket->pending->len),
                           bucket->runner, bucket->pending->len);
  summary = dr_notice_new (id, bucket->runner, category, title, body->str);
  summary->urgent = urgent;
  dr_notice_set_action (summary, "app.show-runner", g_variant_new_string (bucket->runner));
  bucket->summary_shown = TRUE;
  send (self, summary);
}

static void
flush_bucket (DrNotifyPolicy *self,
              Bucket         *bucket,
              gint64          now)
{
  if (bucket->pending->len == 0)
    return;
  if (bucket->pending->len == 1)
    send (self, g_ptr_array_index (bucket->pending, 0));
  else
    send_summary (self, bucket);
  g_ptr_array_set_size (bucket->pending, 0);
  bucket->last_sent = now;
}

void
dr_notify_policy_post (DrNotifyPolicy *self,
                       DrNotice       *notice,
                       gint64          now)
{
  g_autoptr(DrNotice) owned = notice;
  g_autofree char *signature = NULL;
  const char *shown;
  Bucket *bucket;

  g_return_if_fail (DR_IS_NOTIFY_POLICY (self));
  g_return_if_fail (notice != NULL);

  if (!self->enabled[notice->category])
    return;

  /* The same condition seen again (a watch that resent the pod) is no news. */
  signature = g_strdup_printf ("%s\n%s", notice->title, notice->body ? notice->body : "");
  shown = g_hash_table_lookup (self->shown, notice->id);
  if (shown != NULL && g_str_equal (shown, signature))
    return;

  if (notice->runner == NULL)
    {
      send (self, notice);
      return;
    }

  bucket = get_bucket (self, notice->runner);
  for (guint i = 0; i < bucket->pending->len; i++)
    {
      DrNotice *waiting = g_ptr_array_index (bucket->pending, i);

      if (g_str_equal (waiting->id, notice->id))
        {
          g_ptr_array_remove_index (bucket->pending, i);
          break;
        }
    }
  g_ptr_array_add (bucket->pending, g_steal_pointer (&owned));
  if (bucket->last_sent == 0 || now - bucket->last_sent >= self->interval)
    flush_bucket (self, bucket, now);
}

void
dr_notify_policy_withdraw (DrNotifyPolicy *self,
                           const char     *id)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DR_IS_NOTIFY_POLICY (self));
  g_return_if_fail (id != NULL);

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Bucket *bucket = value;

      for (guint i = 0; i < bucket->pending->len; i++)
        if (g_str_equal (((DrNotice *) g_ptr_array_index (bucket->pending, i))->id, id))
          {
            g_ptr_array_remove_index (bucket->pending, i);
            break;
          }
      if (bucket->summary_shown && g_hash_table_remove (bucket->summary_open, id) &&
          g_hash_table_size (bucket->summary_open) == 0 && !bucket->summary_has_events)
        {
          g_autofree char *summary_id = dr_notify_policy_summary_id (bucket->runner);

          bucket->summary_shown = FALSE;
          g_hash_table_remove (self->shown, summary_id);
          g_signal_emit (self, signals[WITHDRAW], 0, summary_id);
        }
    }

  if (g_hash_table_remove (self->shown, id))
    g_signal_emit (self, signals[WITHDRAW], 0, id);
}

void
dr_notify_policy_flush (DrNotifyPolicy *self,
                        gint64          now)
{
  g_autoptr(GList) buckets = NULL;

  g_return_if_fail (DR_IS_NOTIFY_POLICY (self));

  buckets = g_hash_table_get_values (self->buckets);
  for (GList *l = buckets; l != NULL; l = l->next)
    {
      Bucket *bucket = l->data;

      if (bucket->pending->len > 0 && now - bucket->last_sent >= self->interval)
        flush_bucket (self, bucket, now);
    }
}

gint64
dr_notify_policy_get_deadline (DrNotifyPolicy *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 deadline = 0;

  g_return_val_if_fail (DR_IS_NOTIFY_POLICY (self), 0);

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Bucket *bucket = value;
      gint64 due = bucket->last_sent + self->interval;

      if (bucket->pending->len > 0 && (deadline == 0 || due < deadline))
        deadline = due;
    }
  return deadline;
}

void
dr_notify_policy_set_enabled (DrNotifyPolicy   *self,
                              DrNoticeCategory  category,
                              gboolean          enabled)
{
  g_return_if_fail (DR_IS_NOTIFY_POLICY (self));
  g_return_if_fail (category < DR_NOTICE_N_CATEGORIES);

  self->enabled[category] = enabled;
}

static void
dr_notify_policy_finalize (GObject *object)
{
  DrNotifyPolicy *self = DR_NOTIFY_POLICY (object);

  g_hash_table_unref (self->buckets);
  g_hash_table_unref (self->shown);

  G_OBJECT_CLASS (dr_notify_policy_parent_class)->finalize (object);
}

static void
dr_notify_policy_class_init (DrNotifyPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_notify_policy_finalize;

  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1,
                                DR_TYPE_NOTICE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[WITHDRAW] = g_signal_new ("withdraw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dr_notify_policy_init (DrNotifyPolicy *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, bucket_free);
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < DR_NOTICE_N_CATEGORIES; i++)
    self->enabled[i] = TRUE;
}

DrNotifyPolicy *
dr_notify_policy_new (gint64 interval)
{
  DrNotifyPolicy *self = g_object_new (DR_TYPE_NOTIFY_POLICY, NULL);

  self->interval = interval;
  return self;
}
