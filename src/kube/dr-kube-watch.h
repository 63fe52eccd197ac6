/* dr-kube-watch.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One watch request: GET COLLECTION?watch=true&allowWatchBookmarks=true&resourceVersion=RV
 * (+ selectors, timeoutSeconds), read as it arrives, one JSON event per line. It opens one
 * connection and ends with it: resuming, relisting and backing off are DrKubeStore's business.
 * Everything happens on the thread-default main context of dr_kube_watch_start().
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-kube-client.h"

G_BEGIN_DECLS

typedef enum
{
  DR_KUBE_WATCH_ADDED,
  DR_KUBE_WATCH_MODIFIED,
  DR_KUBE_WATCH_DELETED,
  DR_KUBE_WATCH_BOOKMARK,     /* only metadata.resourceVersion means anything */
} DrKubeWatchEventType;

#define DR_TYPE_KUBE_WATCH_EVENT_TYPE (dr_kube_watch_event_type_get_type ())
GType dr_kube_watch_event_type_get_type (void);

/* A longer event line ends the watch with an error (etcd keeps objects below 1.5 MiB). */
#define DR_KUBE_WATCH_MAX_EVENT_SIZE (16 * 1024 * 1024)

#define DR_TYPE_KUBE_WATCH (dr_kube_watch_get_type ())
G_DECLARE_FINAL_TYPE (DrKubeWatch, dr_kube_watch, DR, KUBE_WATCH, GObject)

/* Signals:
 *   opened ()       the server accepted the watch (a 2xx status and headers arrived).
 *   event (DrKubeWatchEventType type, JsonNode *object)
 *                   @object is sealed (read-only) and owned by the watch; json_node_ref() it
 *                   to keep it. ADDED, MODIFIED and DELETED objects have metadata.name.
 *   closed (GError *error)
 *                   the end; nothing is emitted after it. @error is NULL when the server ended
 *                   the stream (timeoutSeconds ran out, or it went away cleanly);
 *                   DR_ERROR_GONE when the resourceVersion is too old (HTTP 410 or an ERROR
 *                   event with a 410 Status): list again; otherwise what went wrong (transport,
 *                   HTTP status, an ERROR event, an event that is not one).
 * Nothing is emitted after dr_kube_watch_stop() or from a watch that has been disposed.
 *
 * @path is a collection (dr_kube_path() without a name); @selectors' label and field
 * selectors are used (limit and continue_token are not); @resource_version NULL or "" asks
 * for the current state as ADDED events first; @timeout_seconds 0 leaves it to the server. */
DrKubeWatch  *dr_kube_watch_new                  (DrKubeClient            *client,
                                                  const char              *path,
                                                  const DrKubeListOptions *selectors,
                                                  const char              *resource_version,
                                                  guint                    timeout_seconds);
/* A watch with a timeout that is still open @seconds after the server should have ended it
 * is dead (a connection gone without a word: a suspended laptop, a dropped route, a server
 * killed behind a proxy): it closes with G_IO_ERROR_TIMED_OUT. Default
 * DR_KUBE_WATCH_GRACE_SECONDS; set before dr_kube_watch_start(). */
#define DR_KUBE_WATCH_GRACE_SECONDS 30
void          dr_kube_watch_set_grace_seconds    (DrKubeWatch             *self,
                                                  guint                    seconds);
void          dr_kube_watch_start                (DrKubeWatch             *self);
void          dr_kube_watch_stop                 (DrKubeWatch             *self);
/* That of the last event (BOOKMARK included), or the one the watch started from. */
const char   *dr_kube_watch_get_resource_version (DrKubeWatch             *self);
/* Events received so far, bookmarks included. */
guint         dr_kube_watch_get_n_events         (DrKubeWatch             *self);

G_END_DECLS
