/* dr-kube-store.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What client-go calls an informer: the objects of one collection (a kind, in one namespace
 * or all, narrowed by label and field selectors), kept current by a watch. Nothing polls.
 *
 * dr_kube_store_start() lists, then watches from the list's resourceVersion. A watch that
 * breaks off or ends is resumed from the last resourceVersion seen (bookmarks included). When
 * the server no longer has that version (410 Gone, as an HTTP status or as an ERROR event),
 * the store lists again and reports only what differs from what it holds. Failures are
 * retried after 0.5 s, doubling up to 30 s, until the server accepts a watch again (one that
 * it ends at once, without an event, does not count); the state and
 * last-error properties say so meanwhile (the UI's "reconnecting…"). The only timers are
 * those waits.
 *
 * Objects are JsonNode objects as the server sent them (list items get the kind and
 * apiVersion the server leaves out of lists). They are sealed (json_node_seal()): read-only,
 * since the store and every signal handler share them. The store owns them; a node handed
 * out without a reference stays valid until the store replaces or removes the object, i.e.
 * until control returns to the main loop. json_node_ref() it to keep it longer (it never
 * changes). To change an object, build a new one: json_node_copy() shares the sealed
 * contents.
 *
 * Everything happens on the thread-default main context of dr_kube_store_start().
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-kube-client.h"

G_BEGIN_DECLS

typedef enum
{
  DR_KUBE_STORE_STOPPED,
  DR_KUBE_STORE_LISTING,       /* the first list, or a list again after 410 Gone */
  DR_KUBE_STORE_WATCHING,      /* a watch is open: the contents are current */
  DR_KUBE_STORE_BACKING_OFF,   /* waiting to retry after last-error */
} DrKubeStoreState;

#define DR_TYPE_KUBE_STORE_STATE (dr_kube_store_state_get_type ())
GType dr_kube_store_state_get_type (void);

#define DR_TYPE_KUBE_STORE (dr_kube_store_get_type ())
G_DECLARE_FINAL_TYPE (DrKubeStore, dr_kube_store, DR, KUBE_STORE, GObject)

/* Signals, each emitted after the store holds the change (dr_kube_store_get() sees it):
 *   added (JsonNode *object)
 *   changed (JsonNode *old, JsonNode *new)    a new resourceVersion of the same object
 *   removed (JsonNode *object)                the object as last known (as it was deleted,
 *                                             when the watch said so)
 *   synced ()                                 the first list after dr_kube_store_start() is
 *                                             in: one added per object came before it
 * An object deleted and created again under the same name while the store could not see it
 * (a different metadata.uid) is removed, then added (during removed, dr_kube_store_get()
 * already returns the new one: the store holds a whole list's changes before it tells about
 * the first). Nothing is emitted after
 * dr_kube_store_stop() (or from within a handler that stops the store, for the rest of that
 * batch), and a disposed store stops itself.
 *
 * Properties (read-only, notified on change): state (DrKubeStoreState), last-error (string,
 * NULL unless backing off), synced (boolean: the first list is in and the store has not been
 * stopped since), resource-version (string: the last one seen). */

/* @namespace_ NULL watches all namespaces (or a cluster-scoped kind); @options' label and
 * field selectors narrow the collection and its limit is the page size of lists (0: one
 * page). */
DrKubeStore      *dr_kube_store_new                  (DrKubeClient            *client,
                                                      const char              *api_version,
                                                      const char              *plural,
                                                      const char              *namespace_,
                                                      const DrKubeListOptions *options);
/* The collection path, e.g. "/api/v1/namespaces/ci/pods". */
const char       *dr_kube_store_get_path             (DrKubeStore             *self);

/* Starts listing and watching; does nothing when started. */
void              dr_kube_store_start                (DrKubeStore             *self);
/* Stops at once: the pending request or wait is cancelled, and nothing is emitted any more.
 * The contents stay readable; a later start lists again and reports what differs. */
void              dr_kube_store_stop                 (DrKubeStore             *self);

DrKubeStoreState  dr_kube_store_get_state            (DrKubeStore             *self);
const char       *dr_kube_store_get_last_error       (DrKubeStore             *self);
/* TRUE while last-error is the server saying the user may not list or watch this collection
 * (HTTP 403): retrying goes on (rights can be granted), but it is no sign of a broken
 * connection. */
gboolean          dr_kube_store_get_forbidden        (DrKubeStore             *self);
gboolean          dr_kube_store_get_synced           (DrKubeStore             *self);
const char       *dr_kube_store_get_resource_version (DrKubeStore             *self);

/* The object (transfer none, see above) or NULL; @namespace_ NULL for cluster-scoped kinds. */
JsonNode         *dr_kube_store_get                  (DrKubeStore             *self,
                                                      const char              *namespace_,
                                                      const char              *name);
guint             dr_kube_store_get_n_objects        (DrKubeStore             *self);
/* Every object, sorted by namespace, then name (transfer container: the array holds a
 * reference on each node and frees them with it). */
GPtrArray        *dr_kube_store_list                 (DrKubeStore             *self);

G_END_DECLS
