/* dr-fake-apiserver.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strict, in-memory Kubernetes API server for tests: a SoupServer on 127.0.0.1:0, plain
 * HTTP or HTTPS with certificates made at test time, optionally requiring a client
 * certificate or a bearer token. It serves only the resource types a test registers, checks
 * methods, content types, resourceVersions, names and namespaces as the real one does, and
 * answers errors with proper Status objects. Every write bumps one global resourceVersion
 * and is kept in an event log. Faults can be injected per request.
 *
 * Watches (?watch=true on a collection) are chunked streams of JSON events, one per line: the
 * events after the resourceVersion asked for (ADDED for every object without one, or with
 * "0"), then live events as objects change; label and field selectors filter them as a real
 * server does (an object that stops matching is DELETED for the watch, one that starts
 * matching ADDED); BOOKMARKs only with allowWatchBookmarks=true; timeoutSeconds ends the
 * stream cleanly. Pod logs (pods/NAME/log) come from a per-pod buffer that tests append to,
 * with follow, tailLines, timestamps, sinceSeconds, sinceTime (cut to the second, as on its
 * way to a real kubelet) and previous (the instance before the last restart).
 *
 * Deliberate simplifications: server-side apply merges the sent fields into the object
 * (recursively, as a merge patch) and records the field manager, but tracks no field
 * ownership, so it neither reports conflicts nor removes fields a manager stopped sending;
 * a strategic merge patch is treated as a merge patch; propagation policies are recorded,
 * and dependents (by ownerReferences) are deleted or orphaned at once instead of by a
 * garbage collector; the status subresource is not served; a watch from a resourceVersion
 * ahead of the server's is not held back; a pod's log does not tell its containers apart.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A CA and a server and client certificate signed by it, made with openssl in a fresh
 * temporary directory (removed by dr_test_pki_free()). The server certificate is for
 * IP:127.0.0.1 and DNS:localhost; the client certificate is CN=deskrun-test,
 * O=system:masters. */
typedef struct
{
  char   *dir;
  char   *ca_path;
  char   *ca_key_path;
  char   *server_cert_path;
  char   *server_key_path;
  GBytes *ca_pem;
  GBytes *client_cert_pem;
  GBytes *client_key_pem;
} DrTestPki;

DrTestPki        *dr_test_pki_new                    (const char       *name);
void              dr_test_pki_free                   (DrTestPki        *pki);

typedef enum
{
  DR_FAKE_APISERVER_NONE                = 0,
  /* Like a real API server: a client certificate is asked for; a request is authenticated
   * by one that the CA signed (or by the token, when one is required), else 401. */
  DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT = 1 << 0,
} DrFakeApiserverFlags;

typedef struct _DrFakeApiserver DrFakeApiserver;

/* HTTPS with @pki's server certificate, plain HTTP when @pki is NULL. */
DrFakeApiserver  *dr_fake_apiserver_new              (DrTestPki            *pki,
                                                      DrFakeApiserverFlags  flags);
void              dr_fake_apiserver_free             (DrFakeApiserver      *self);
/* "https://127.0.0.1:PORT" (no trailing slash). */
const char       *dr_fake_apiserver_get_url          (DrFakeApiserver      *self);

/* Serves a resource type: @api_version "v1" or "group/version". */
void              dr_fake_apiserver_register         (DrFakeApiserver      *self,
                                                      const char           *api_version,
                                                      const char           *kind,
                                                      const char           *plural,
                                                      gboolean              namespaced);
/* namespaces, configmaps, secrets, serviceaccounts, pods (v1); roles, rolebindings
 * (rbac.authorization.k8s.io/v1); the four ARC 0.14.2 kinds (actions.github.com/v1alpha1). */
void              dr_fake_apiserver_register_defaults (DrFakeApiserver     *self);

/* Requests must carry "Authorization: Bearer @token" (or a client certificate when that
 * is required too); others get 401. */
void              dr_fake_apiserver_require_token    (DrFakeApiserver      *self,
                                                      const char           *token);

/* Creates an object as a POST would (checks included; fails the test when refused) and
 * returns its path. */
char             *dr_fake_apiserver_add              (DrFakeApiserver      *self,
                                                      const char           *json);
/* A copy of the stored object at @path, or NULL. */
JsonNode         *dr_fake_apiserver_get_object       (DrFakeApiserver      *self,
                                                      const char           *path);
guint             dr_fake_apiserver_get_n_objects    (DrFakeApiserver      *self);
/* The global resourceVersion: that of the last write. */
guint64           dr_fake_apiserver_get_resource_version (DrFakeApiserver  *self);
/* Forgets history up to now: continue tokens made before answer 410 Expired, and so do
 * watches from an older resourceVersion (as set by dr_fake_apiserver_set_expired_style()). */
void              dr_fake_apiserver_compact          (DrFakeApiserver      *self);

typedef enum
{
  DR_FAKE_EXPIRED_EVENT,   /* 200, an ERROR event with a 410 Expired Status, the end (default) */
  DR_FAKE_EXPIRED_HTTP,    /* the watch request is answered 410 Expired */
} DrFakeExpiredStyle;

void              dr_fake_apiserver_set_expired_style (DrFakeApiserver    *self,
                                                       DrFakeExpiredStyle  style);

/* Changes made by "someone else": a merge patch of the object at @path, a DELETE of it (as
 * the API would; finalizers hold it). Both fail the test when refused. */
void              dr_fake_apiserver_patch            (DrFakeApiserver      *self,
                                                      const char           *path,
                                                      const char           *merge_patch_json);
void              dr_fake_apiserver_delete           (DrFakeApiserver      *self,
                                                      const char           *path);

/* Open watch streams. */
guint             dr_fake_apiserver_get_n_watches    (DrFakeApiserver      *self);
/* A BOOKMARK with the current resourceVersion to each open watch that allows them. */
void              dr_fake_apiserver_send_bookmark    (DrFakeApiserver      *self);
/* Breaks every open watch connection mid-stream (no last chunk), as a network failure does;
 * returns how many. (libsoup's client reads a connection closed between two chunks as the
 * end of the body, so a client may not tell this from end_watches().) */
guint             dr_fake_apiserver_drop_watches     (DrFakeApiserver      *self);
/* Watches opened from now on ignore timeoutSeconds and stay open until the client goes: with
 * nothing changing, what a client sees of a connection that died without a FIN (a suspended
 * laptop, a dropped route). */
void              dr_fake_apiserver_set_silent_watches (DrFakeApiserver   *self,
                                                        gboolean           silent);
/* Ends every open watch cleanly, as timeoutSeconds does; returns how many. */
guint             dr_fake_apiserver_end_watches      (DrFakeApiserver      *self);

/* Appends @text (one line, no newline) to the log of @pod, which must exist, stamped now;
 * followers get it at once. */
void              dr_fake_apiserver_append_log       (DrFakeApiserver      *self,
                                                      const char           *namespace_,
                                                      const char           *pod,
                                                      const char           *text);
/* The container restarts: followed logs end cleanly, the log so far becomes the previous
 * instance's, and a new one starts empty. Returns how many streams ended. Deleting the pod
 * (dr_fake_apiserver_delete()) ends them too, and its log is gone. */
guint             dr_fake_apiserver_restart_container (DrFakeApiserver     *self,
                                                       const char          *namespace_,
                                                       const char          *pod);
/* Breaks every followed log connection mid-stream; returns how many. */
guint             dr_fake_apiserver_drop_log_streams (DrFakeApiserver      *self);
guint             dr_fake_apiserver_get_n_log_streams (DrFakeApiserver     *self);

/* The event log: one event per write that changed the store. */
typedef struct
{
  const char *type;                 /* "ADDED", "MODIFIED", "DELETED" */
  guint64     resource_version;
  char       *path;
  JsonNode   *object;               /* the object as of this event */
} DrFakeEvent;

guint             dr_fake_apiserver_get_n_events     (DrFakeApiserver      *self);
const DrFakeEvent *dr_fake_apiserver_get_event       (DrFakeApiserver      *self,
                                                      guint                 index);

/* What the server received. */
typedef struct
{
  char       *method;
  char       *path;                 /* as sent (percent-encoded) */
  char       *query;                /* as sent, NULL without one */
  GHashTable *params;               /* decoded query parameters, never NULL */
  char       *content_type;         /* without parameters, NULL without a body */
  char       *authorization;
  char       *user_agent;
  GBytes     *body;
  guint       status;               /* what the server answered */
} DrFakeRequest;

/* Requests by @method and @path (exact, as sent); NULL matches any. */
guint             dr_fake_apiserver_count_requests   (DrFakeApiserver      *self,
                                                      const char           *method,
                                                      const char           *path);
/* The request number @index (from 0, in arrival order), or the last one. */
const DrFakeRequest *dr_fake_apiserver_get_request      (DrFakeApiserver   *self,
                                                         guint              index);
const DrFakeRequest *dr_fake_apiserver_get_last_request (DrFakeApiserver   *self);

/* Fault injection, in order, one per request, before anything else is looked at. */
/* A Status object with @status and @message, and "Retry-After: @retry_after" unless -1. */
void              dr_fake_apiserver_fail_next        (DrFakeApiserver      *self,
                                                      guint                 status,
                                                      const char           *message,
                                                      int                   retry_after);
/* Exactly this reply. */
void              dr_fake_apiserver_reply_next       (DrFakeApiserver      *self,
                                                      guint                 status,
                                                      const char           *content_type,
                                                      const char           *body);
/* Answers the next request 200 with a body that never ends: @chunk_size bytes ("[" and
 * spaces) every @interval_ms, until the client goes away (at most a minute). 1 ms and
 * 64 KiB is an endless reply; 10 s and 1 byte a server that keeps a request alive. */
void              dr_fake_apiserver_trickle_next     (DrFakeApiserver      *self,
                                                      guint                 interval_ms,
                                                      gsize                 chunk_size);
/* Never answers the next request; sets *@reached when it arrives. */
void              dr_fake_apiserver_hang_next        (DrFakeApiserver      *self,
                                                      gboolean             *reached);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrTestPki, dr_test_pki_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrFakeApiserver, dr_fake_apiserver_free)

G_END_DECLS
