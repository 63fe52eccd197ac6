/* dr-kube-log-stream.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dr-error.h"
#include "dr-kube-line-reader.h"
#include "dr-kube-log-stream.h"

#define BACKOFF_INITIAL_MS 500
#define BACKOFF_MAX_MS     30000

G_DEFINE_ENUM_TYPE (DrKubeLogStreamState, dr_kube_log_stream_state,
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_STREAM_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_STREAM_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_STREAM_STREAMING, "streaming"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_STREAM_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_STREAM_ENDED, "ended"))

G_DEFINE_ENUM_TYPE (DrKubeLogEnd, dr_kube_log_end,
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_END_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_END_POD_GONE, "pod-gone"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_END_POD_FINISHED, "pod-finished"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_LOG_END_ERROR, "error"))

/* A log timestamp to the nanosecond, as the kubelet writes it. */
typedef struct
{
  gint64  seconds;
  guint32 nanos;
} Stamp;

struct _DrKubeLogStream
{
  GObject               parent_instance;

  DrKubeClient         *client;
  char                 *namespace_;
  char                 *pod;
  char                 *container;
  DrKubeLogOptions      options;         /* container points into the field above */
  char                 *log_path;
  char                 *pod_path;

  DrKubeLogStreamState  state;
  char                 *last_error;

  gboolean              running;
  guint                 run;             /* bumped by every start and stop */
  GCancellable         *cancellable;     /* of this run's requests */
  DrKubeLineReader     *reader;
  GSource              *backoff;         /* the wait before looking again */
  guint                 failures;        /* connections in a row that brought no line */
  gboolean              got_line;        /* on this connection */

  /* Where we are: the last line handed out with a timestamp, and how many lines carried
   * exactly that one (the server may send them again: sinceTime is inclusive and, on the way
   * to the kubelet, cut to the second). */
  char                 *last_timestamp;
  Stamp                 last_stamp;
  guint                 n_at_last;
  /* Skipping what was handed out before, after a reconnect. */
  gboolean              resuming;
  guint                 skip_equal;
  gboolean              skipping_line;   /* the pieces of a line that was skipped */
  gboolean              in_line;         /* the last piece was not the end of its line */
};

G_DEFINE_FINAL_TYPE (DrKubeLogStream, dr_kube_log_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LINE,
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void open_log  (DrKubeLogStream *self);
static void check_pod (DrKubeLogStream *self);

/* ---- Timestamps -------------------------------------------------------------------------- */

/* The length of @line's timestamp prefix with its space, or 0 without one. */
static gsize
parse_stamp (const char  *line,
             gsize        length,
             Stamp       *stamp,
             GDateTime  **timestamp)
{
  g_autoptr(GDateTime) time = NULL;
  const char *space = memchr (line, ' ', MIN (length, 64));
  char text[64];
  char *dot;
  guint32 nanos = 0;
  gsize n;

  if (space == NULL)
    return 0;
  n = space - line;
  /* 2026-11-22T15:54:33Z is the shortest. */
  if (n < 20 || line[4] != '-' || line[7] != '-' || line[10] != 'T')
    return 0;
  memcpy (text, line, n);
  text[n] = '\0';

  dot = strchr (text, '.');
  if (dot != NULL)
    {
      char *p = dot + 1;
      guint digits = 0;

      for (; g_ascii_isdigit (*p); p++, digits++)
        if (digits < 9)
          nanos = nanos * 10 + (*p - '0');
      if (digits == 0)
        return 0;
      for (; digits < 9; digits++)
        nanos *= 10;
      memmove (dot, p, strlen (p) + 1);
    }

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return 0;

  if (stamp != NULL)
    {
      stamp->seconds = g_date_time_to_unix (time);
      stamp->nanos = nanos;
    }
  if (timestamp != NULL)
    *timestamp = g_date_time_add (time, nanos / 1000);
  return n + 1;
}

static int
compare_stamps (const Stamp *a,
                const Stamp *b)
{
  if (a->seconds != b->seconds)
    return a->seconds < b->seconds ? -1 : 1;
  if (a->nanos != b->nanos)
    return a->nanos < b->nanos ? -1 : 1;
  return 0;
}

gboolean
dr_kube_log_parse_timestamp (const char  *line,
                             GDateTime  **timestamp,
                             const char **text)
{
  gsize prefix;

  g_return_val_if_fail (line != NULL, FALSE);

  prefix = parse_stamp (line, strlen (line), NULL, timestamp);
  if (prefix == 0)
    return FALSE;
  if (text != NULL)
    *text = line + prefix;
  return TRUE;
}

/* ---- State ------------------------------------------------------------------------------- */

static void
set_state (DrKubeLogStream      *self,
           DrKubeLogStreamState  state,
           const char           *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->last_error, error_message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Cancels whatever runs; TRUE when something did. */
static gboolean
halt (DrKubeLogStream *self)
{
  if (!self->running)
    return FALSE;

  self->running = FALSE;
  self->run++;
  g_clear_pointer (&self->reader, dr_kube_line_reader_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->backoff != NULL)
    {
      g_source_destroy (self->backoff);
      g_clear_pointer (&self->backoff, g_source_unref);
    }
  return TRUE;
}

static void
end_stream (DrKubeLogStream *self,
            DrKubeLogEnd     reason,
            const char      *message)
{
  g_autoptr(DrKubeLogStream) guard = g_object_ref (self);

  if (!halt (self))
    return;
  set_state (self, DR_KUBE_LOG_STREAM_ENDED,
             reason == DR_KUBE_LOG_END_ERROR ? message : NULL);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, reason, message);
}

static gboolean
backoff_done_cb (gpointer data)
{
  DrKubeLogStream *self = data;

  g_clear_pointer (&self->backoff, g_source_unref);
  check_pod (self);
  return G_SOURCE_REMOVE;
}

static void
back_off (DrKubeLogStream *self,
          const char      *message)
{
  guint delay = BACKOFF_MAX_MS;

  self->failures++;
  if (self->failures <= 16)
    delay = MIN ((guint) BACKOFF_INITIAL_MS << (self->failures - 1), BACKOFF_MAX_MS);

  g_debug ("%s: looking again in %u ms: %s", self->log_path, delay,
           message != NULL ? message : "the stream ended");
  /* On the thread-default context, like the I/O; destroyed by stop(). */
  self->backoff = g_timeout_source_new (delay);
  g_source_set_callback (self->backoff, backoff_done_cb, self, NULL);
  g_source_set_static_name (self->backoff, "[deskrun] kube log backoff");
  g_source_attach (self->backoff, g_main_context_get_thread_default ());
  set_state (self, DR_KUBE_LOG_STREAM_RECONNECTING, message);
}

/* ---- Reading ----------------------------------------------------------------------------- */

static void
emit_line (DrKubeLogStream *self,
           const char      *text,
           gsize            length,
           gboolean         complete)
{
  g_autofree char *valid = NULL;

  if (complete && length > 0 && text[length - 1] == '\r')
    length--;
  valid = g_utf8_make_valid (text, length);
  g_signal_emit (self, signals[SIGNAL_LINE], 0, valid);
}

static void
line_cb (const char *line,
         gsize       length,
         gboolean    complete,
         gpointer    user_data)
{
  DrKubeLogStream *self = user_data;
  g_autoptr(DrKubeLogStream) guard = g_object_ref (self);
  gboolean starts_line = !self->in_line;
  Stamp stamp = { 0, };
  gsize prefix = 0;

  self->in_line = !complete;
  if (!starts_line)
    {
      if (!self->skipping_line)
        emit_line (self, line, length, complete);
      return;
    }

  /* A connection that brings lines is a healthy one: the waits start short again. */
  if (!self->got_line)
    {
      self->got_line = TRUE;
      self->failures = 0;
    }

  prefix = parse_stamp (line, length, &stamp, NULL);
  if (self->resuming && prefix > 0)
    {
      int order = compare_stamps (&stamp, &self->last_stamp);

      if (order < 0 || (order == 0 && self->skip_equal > 0))
        {
          if (order == 0)
            self->skip_equal--;
          self->skipping_line = TRUE;
          return;
        }
    }
  self->resuming = FALSE;
  self->skipping_line = FALSE;

  if (prefix > 0)
    {
      if (self->last_timestamp != NULL && compare_stamps (&stamp, &self->last_stamp) == 0)
        self->n_at_last++;
      else
        {
          g_free (self->last_timestamp);
          self->last_timestamp = g_strndup (line, prefix - 1);
          self->last_stamp = stamp;
          self->n_at_last = 1;
        }
    }

  if (self->options.timestamps)
    prefix = 0;
  emit_line (self, line + prefix, length - prefix, complete);
}

static void
end_cb (const GError *error,
        gpointer      user_data)
{
  DrKubeLogStream *self = user_data;

  g_clear_pointer (&self->reader, dr_kube_line_reader_free);

  if (!self->options.follow || self->options.previous)
    {
      if (error == NULL)
        end_stream (self, DR_KUBE_LOG_END_COMPLETE, _("The whole log has been read"));
      else
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The log of pod %s broke off: %s"), self->pod,
                                     error->message);
          end_stream (self, DR_KUBE_LOG_END_ERROR, message);
        }
      return;
    }

  /* The container stopped (or restarted), or the connection broke: look at the pod. */
  back_off (self, error != NULL ? error->message : NULL);
}

/* ---- Requests ---------------------------------------------------------------------------- */

typedef struct
{
  GWeakRef      stream;
  GCancellable *cancellable;
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->stream);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static Pending *
pending_new (DrKubeLogStream *self)
{
  Pending *pending = g_new0 (Pending, 1);

  g_weak_ref_init (&pending->stream, self);
  pending->cancellable = g_object_ref (self->cancellable);
  return pending;
}

/* The stream a request's callback belongs to, or NULL when it stopped meanwhile. */
static DrKubeLogStream *
pending_get (Pending *pending)
{
  DrKubeLogStream *self = g_weak_ref_get (&pending->stream);

  if (self != NULL && g_cancellable_is_cancelled (pending->cancellable))
    g_clear_object (&self);
  return self;
}

/* TRUE when @error ends the stream. */
static gboolean
end_for_error (DrKubeLogStream *self,
               const GError    *error)
{
  if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      g_autofree char *message = g_strdup_printf (_("Pod %s in namespace %s no longer exists"),
                                                  self->pod, self->namespace_);

      end_stream (self, DR_KUBE_LOG_END_POD_GONE, message);
      return TRUE;
    }
  if (g_error_matches (error, DR_ERROR, DR_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, DR_ERROR, DR_ERROR_FORBIDDEN) || !self->options.follow)
    {
      end_stream (self, DR_KUBE_LOG_END_ERROR, error->message);
      return TRUE;
    }
  return FALSE;
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(DrKubeLogStream) self = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = dr_kube_client_send_stream_finish (DR_KUBE_CLIENT (object), result, &error);
  if ((self = pending_get (pending)) == NULL)
    return;

  if (stream == NULL)
    {
      if (!end_for_error (self, error))
        back_off (self, error->message);
      return;
    }

  self->got_line = FALSE;
  self->in_line = FALSE;
  self->skipping_line = FALSE;
  self->reader = dr_kube_line_reader_new (stream, DR_KUBE_LOG_MAX_LINE, DR_KUBE_LINE_SPLIT,
                                          line_cb, end_cb, self);
  set_state (self, DR_KUBE_LOG_STREAM_STREAMING, NULL);
}

static void
open_log (DrKubeLogStream *self)
{
  g_autoptr(GPtrArray) query = g_ptr_array_new_with_free_func (g_free);

  if (self->container != NULL)
    {
      g_ptr_array_add (query, g_strdup ("container"));
      g_ptr_array_add (query, g_strdup (self->container));
    }
  if (self->options.follow)
    {
      g_ptr_array_add (query, g_strdup ("follow"));
      g_ptr_array_add (query, g_strdup ("true"));
    }
  g_ptr_array_add (query, g_strdup ("timestamps"));
  g_ptr_array_add (query, g_strdup ("true"));
  if (self->options.previous)
    {
      g_ptr_array_add (query, g_strdup ("previous"));
      g_ptr_array_add (query, g_strdup ("true"));
    }

  self->resuming = self->last_timestamp != NULL;
  self->skip_equal = self->n_at_last;
  if (self->resuming)
    {
      g_ptr_array_add (query, g_strdup ("sinceTime"));
      g_ptr_array_add (query, g_strdup (self->last_timestamp));
    }
  else
    {
      if (self->options.tail_lines > 0)
        {
          g_ptr_array_add (query, g_strdup ("tailLines"));
          g_ptr_array_add (query, g_strdup_printf ("%u", self->options.tail_lines));
        }
      if (self->options.since_seconds > 0)
        {
          g_ptr_array_add (query, g_strdup ("sinceSeconds"));
          g_ptr_array_add (query, g_strdup_printf ("%u", self->options.since_seconds));
        }
    }
  g_ptr_array_add (query, NULL);

  if (self->state != DR_KUBE_LOG_STREAM_RECONNECTING)
    set_state (self, DR_KUBE_LOG_STREAM_CONNECTING, NULL);
  dr_kube_client_send_stream_async (self->client, SOUP_METHOD_GET, self->log_path,
                                    (const char * const *) query->pdata, self->cancellable,
                                    open_cb, pending_new (self));
}

static void
pod_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(DrKubeLogStream) self = NULL;
  g_autoptr(JsonNode) pod = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *status = NULL;
  JsonNode *phase = NULL;

  pod = dr_kube_client_get_finish (DR_KUBE_CLIENT (object), result, &error);
  if ((self = pending_get (pending)) == NULL)
    return;

  if (pod == NULL)
    {
      if (!end_for_error (self, error))
        back_off (self, error->message);
      return;
    }

  if (json_object_has_member (json_node_get_object (pod), "status") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (pod), "status")))
    status = json_object_get_object_member (json_node_get_object (pod), "status");
  if (status != NULL)
    phase = json_object_get_member (status, "phase");
  if (phase != NULL && JSON_NODE_HOLDS_VALUE (phase) &&
      json_node_get_value_type (phase) == G_TYPE_STRING &&
      (g_str_equal (json_node_get_string (phase), "Succeeded") ||
       g_str_equal (json_node_get_string (phase), "Failed")))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Pod %s has finished (%s)"), self->pod,
                                 json_node_get_string (phase));
      end_stream (self, DR_KUBE_LOG_END_POD_FINISHED, message);
      return;
    }

  open_log (self);
}

/* Before asking for the log again: is there still a pod whose container may write? */
static void
check_pod (DrKubeLogStream *self)
{
  dr_kube_client_get_async (self->client, self->pod_path, self->cancellable, pod_cb,
                            pending_new (self));
}

/* ---- Public API -------------------------------------------------------------------------- */

void
dr_kube_log_stream_start (DrKubeLogStream *self)
{
  g_return_if_fail (DR_IS_KUBE_LOG_STREAM (self));

  if (self->running || self->state == DR_KUBE_LOG_STREAM_ENDED)
    return;

  self->running = TRUE;
  self->run++;
  self->failures = 0;
  self->cancellable = g_cancellable_new ();
  open_log (self);
}

void
dr_kube_log_stream_stop (DrKubeLogStream *self)
{
  g_return_if_fail (DR_IS_KUBE_LOG_STREAM (self));

  if (halt (self))
    set_state (self, DR_KUBE_LOG_STREAM_STOPPED, NULL);
}

DrKubeLogStreamState
dr_kube_log_stream_get_state (DrKubeLogStream *self)
{
  g_return_val_if_fail (DR_IS_KUBE_LOG_STREAM (self), DR_KUBE_LOG_STREAM_STOPPED);

  return self->state;
}

const char *
dr_kube_log_stream_get_last_error (DrKubeLogStream *self)
{
  g_return_val_if_fail (DR_IS_KUBE_LOG_STREAM (self), NULL);

  return self->last_error;
}

DrKubeLogStream *
dr_kube_log_stream_new (DrKubeClient           *client,
                        const char             *namespace_,
                        const char             *pod,
                        const DrKubeLogOptions *options)
{
  DrKubeLogStream *self;
  g_autofree char *pod_path = NULL;

  g_return_val_if_fail (DR_IS_KUBE_CLIENT (client), NULL);
  g_return_val_if_fail (namespace_ != NULL && *namespace_ != '\0', NULL);
  g_return_val_if_fail (pod != NULL && *pod != '\0', NULL);

  self = g_object_new (DR_TYPE_KUBE_LOG_STREAM, NULL);
  self->client = g_object_ref (client);
  self->namespace_ = g_strdup (namespace_);
  self->pod = g_strdup (pod);
  if (options != NULL)
    self->options = *options;
  self->container = g_strdup (options != NULL && options->container != NULL &&
                              *options->container != '\0' ? options->container : NULL);
  self->options.container = self->container;
  self->pod_path = dr_kube_path ("v1", "pods", namespace_, pod);
  self->log_path = g_strconcat (self->pod_path, "/log", NULL);

  return self;
}

static void
dr_kube_log_stream_dispose (GObject *object)
{
  DrKubeLogStream *self = DR_KUBE_LOG_STREAM (object);

  halt (self);

  G_OBJECT_CLASS (dr_kube_log_stream_parent_class)->dispose (object);
}

static void
dr_kube_log_stream_finalize (GObject *object)
{
  DrKubeLogStream *self = DR_KUBE_LOG_STREAM (object);

  g_clear_object (&self->client);
  g_free (self->namespace_);
  g_free (self->pod);
  g_free (self->container);
  g_free (self->log_path);
  g_free (self->pod_path);
  g_free (self->last_error);
  g_free (self->last_timestamp);

  G_OBJECT_CLASS (dr_kube_log_stream_parent_class)->finalize (object);
}

static void
dr_kube_log_stream_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DrKubeLogStream *self = DR_KUBE_LOG_STREAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_kube_log_stream_class_init (DrKubeLogStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_kube_log_stream_dispose;
  object_class->finalize = dr_kube_log_stream_finalize;
  object_class->get_property = dr_kube_log_stream_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DR_TYPE_KUBE_LOG_STREAM_STATE,
                       DR_KUBE_LOG_STREAM_STOPPED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LINE] =
    g_signal_new ("line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, DR_TYPE_KUBE_LOG_END,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
dr_kube_log_stream_init (DrKubeLogStream *self)
{
}
