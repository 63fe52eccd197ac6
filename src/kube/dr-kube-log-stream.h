/* dr-kube-log-stream.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A container's log as a stream of lines:
 * GET /api/v1/namespaces/NS/pods/POD/log?container=C&follow=true&timestamps=true&…
 * read as it arrives, one line at a time. The log is never held as a whole: a line longer
 * than DR_KUBE_LOG_MAX_LINE bytes is handed out in pieces of at most that many bytes.
 *
 * Following, the stream survives the container restarting and the connection breaking: when
 * it ends, the pod is looked at after a short wait (0.5 s, doubling up to 30 s while nothing
 * comes through) and, while it exists and has not finished, the log is asked for again from
 * the last line's timestamp (sinceTime), skipping what was already handed out. timestamps=true
 * is always asked for, since that is how the stream knows where it was.
 *
 * Everything happens on the thread-default main context of dr_kube_log_stream_start().
 */
#pragma once

#include <gio/gio.h>

#include "dr-kube-client.h"

G_BEGIN_DECLS

#define DR_KUBE_LOG_MAX_LINE (64 * 1024)

/* Zero / NULL members are left out. */
typedef struct
{
  const char *container;      /* NULL: the pod's only container */
  gboolean    follow;         /* keep going as the container writes, across restarts */
  gboolean    timestamps;     /* keep the server's RFC 3339 prefix ("2026-…Z ") in lines */
  guint       tail_lines;     /* only the last N lines at first; 0: the whole log */
  guint       since_seconds;  /* only lines newer than that at first */
  gboolean    previous;       /* the previous, terminated instance of the container */
} DrKubeLogOptions;

typedef enum
{
  DR_KUBE_LOG_STREAM_STOPPED,
  DR_KUBE_LOG_STREAM_CONNECTING,
  DR_KUBE_LOG_STREAM_STREAMING,
  DR_KUBE_LOG_STREAM_RECONNECTING,  /* waiting to look at the pod again; see last-error */
  DR_KUBE_LOG_STREAM_ENDED,
} DrKubeLogStreamState;

#define DR_TYPE_KUBE_LOG_STREAM_STATE (dr_kube_log_stream_state_get_type ())
GType dr_kube_log_stream_state_get_type (void);

typedef enum
{
  DR_KUBE_LOG_END_COMPLETE,       /* not following (or the previous instance): all was read */
  DR_KUBE_LOG_END_POD_GONE,       /* the pod (or its namespace) no longer exists: 404 */
  DR_KUBE_LOG_END_POD_FINISHED,   /* the pod Succeeded or Failed: nothing will restart */
  DR_KUBE_LOG_END_ERROR,          /* what retrying cannot fix (401, 403), or any failure
                                   * when not following */
} DrKubeLogEnd;

#define DR_TYPE_KUBE_LOG_END (dr_kube_log_end_get_type ())
GType dr_kube_log_end_get_type (void);

#define DR_TYPE_KUBE_LOG_STREAM (dr_kube_log_stream_get_type ())
G_DECLARE_FINAL_TYPE (DrKubeLogStream, dr_kube_log_stream, DR, KUBE_LOG_STREAM, GObject)

/* Signals:
 *   line (const char *line)     one line, without its newline, valid UTF-8 (invalid bytes
 *                               become U+FFFD), or a piece of a longer one; only the first
 *                               piece has the timestamp.
 *   ended (DrKubeLogEnd reason, const char *message)
 *                               the last signal; @message is a sentence for people.
 * Nothing is emitted after dr_kube_log_stream_stop() or from a disposed stream; starting a
 * stopped stream again goes on after the last line handed out. An ended stream stays ended.
 * Properties (read-only, notified): state (DrKubeLogStreamState), last-error (string). */
DrKubeLogStream      *dr_kube_log_stream_new            (DrKubeClient           *client,
                                                         const char             *namespace_,
                                                         const char             *pod,
                                                         const DrKubeLogOptions *options);
void                  dr_kube_log_stream_start          (DrKubeLogStream        *self);
void                  dr_kube_log_stream_stop           (DrKubeLogStream        *self);
DrKubeLogStreamState  dr_kube_log_stream_get_state      (DrKubeLogStream        *self);
const char           *dr_kube_log_stream_get_last_error (DrKubeLogStream        *self);

/* Splits the "2026-11-22T15:54:33.123456789Z " prefix that timestamps=true adds off @line:
 * FALSE when there is none. @timestamp (microseconds; may be NULL) and @text (the rest of
 * @line; may be NULL) are set when it is TRUE. */
gboolean              dr_kube_log_parse_timestamp       (const char             *line,
                                                         GDateTime             **timestamp,
                                                         const char            **text);

G_END_DECLS
