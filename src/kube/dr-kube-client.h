/* dr-kube-client.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kubernetes REST over libsoup: one session per API server and user (a DrKubeContext), TLS
 * from the kubeconfig, JSON in and out. Every call is asynchronous and cancellable. Replies
 * are JsonNode objects (transfer full); errors are DR_ERROR for what the API server said
 * (dr_error_from_http_status()) and G_IO_ERROR / G_TLS_ERROR for what kept us from talking
 * to it, with a message naming the server.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-kubeconfig.h"

G_BEGIN_DECLS

#define DR_KUBE_FIELD_MANAGER "deskrun"

typedef enum
{
  DR_KUBE_PROPAGATION_DEFAULT,      /* the server's default for the kind */
  DR_KUBE_PROPAGATION_FOREGROUND,   /* dependents first, then the object */
  DR_KUBE_PROPAGATION_BACKGROUND,   /* the object now, dependents by the garbage collector */
  DR_KUBE_PROPAGATION_ORPHAN,       /* dependents are left behind */
} DrKubePropagation;

typedef enum
{
  DR_KUBE_WRITE_NONE    = 0,
  DR_KUBE_WRITE_DRY_RUN = 1 << 0,   /* dryRun=All: validated and answered, nothing stored */
} DrKubeWriteFlags;

/* Optional parts of a list request; zero / NULL members are left out. */
typedef struct
{
  const char *label_selector;      /* "app=x,tier!=db,owner" */
  const char *field_selector;      /* "metadata.name=x" */
  guint       limit;               /* page size, 0: everything at once */
  const char *continue_token;      /* from a previous page's metadata.continue */
} DrKubeListOptions;

/* "/api/v1/namespaces/NS/PLURAL/NAME" for @api_version "v1", otherwise
 * "/apis/GROUP/VERSION/…"; @namespace_ and @name may be NULL (cluster-scoped kinds, all
 * namespaces, collections). Segments are percent-encoded. */
char          *dr_kube_path                      (const char         *api_version,
                                                  const char         *plural,
                                                  const char         *namespace_,
                                                  const char         *name);

/* The DR_ERROR code for an HTTP status of the API server (DR_ERROR_FAILED for the rest). */

#define DR_TYPE_KUBE_CLIENT (dr_kube_client_get_type ())
G_DECLARE_FINAL_TYPE (DrKubeClient, dr_kube_client, DR, KUBE_CLIENT, GObject)

/* Reads what it needs from @context (nothing is kept pointing into it). Fails with
 * DR_ERROR_BAD_CONFIG for a server that is not an http(s) URL, a certificate authority
 * without a certificate, or a client certificate or key that cannot be used. */
DrKubeClient  *dr_kube_client_new                (const DrKubeContext *context,
                                                  GError            **error);
/* "https://127.0.0.1:6443", as the kubeconfig names it (no trailing slash). */
const char    *dr_kube_client_get_server         (DrKubeClient       *self);

/* Every call but the streams has one deadline for all of it (connecting, the headers, the
 * whole body; a 429's retry starts a new one) and a bound on the body: past either it fails
 * with G_IO_ERROR_TIMED_OUT or DR_ERROR_BAD_RESPONSE naming the server, instead of waiting
 * for ever on a server that sends a byte now and then, or filling memory with a reply that
 * never ends. Lists are one page per request. */
#define DR_KUBE_REQUEST_DEADLINE_SECONDS 120
#define DR_KUBE_MAX_REPLY_SIZE           (64 * 1024 * 1024)
void           dr_kube_client_set_request_limits (DrKubeClient       *self,
                                                  guint               deadline_seconds,
                                                  gsize               max_reply_size);
/* TRUE when the kubeconfig says insecure-skip-tls-verify: any server certificate is
 * accepted, and the UI should say so. */
gboolean       dr_kube_client_get_insecure       (DrKubeClient       *self);

void           dr_kube_client_get_async          (DrKubeClient       *self,
                                                  const char         *path,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
JsonNode      *dr_kube_client_get_finish         (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* GET @path for an answer that is not a Kubernetes object, such as the health endpoints
 * (/readyz answers "ok" as text/plain, and 500 listing the failed checks while the server
 * is not ready). The body on success; errors as for the other calls. */
void           dr_kube_client_get_raw_async      (DrKubeClient       *self,
                                                  const char         *path,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
GBytes        *dr_kube_client_get_raw_finish     (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* One page: the list object with "items" (an array), "metadata.resourceVersion" and, when
 * more pages follow, "metadata.continue". @options may be NULL. */
void           dr_kube_client_list_async         (DrKubeClient            *self,
                                                  const char              *path,
                                                  const DrKubeListOptions *options,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonNode      *dr_kube_client_list_finish        (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* Follows metadata.continue to the last page (@options->continue_token is the start, and
 * @options->limit the page size). The result is the last page's list object holding the
 * items of every page, without "continue". */
void           dr_kube_client_list_all_async     (DrKubeClient            *self,
                                                  const char              *path,
                                                  const DrKubeListOptions *options,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonNode      *dr_kube_client_list_all_finish    (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* POST @object to the collection @path; the reply is the stored object. */
void           dr_kube_client_create_async       (DrKubeClient       *self,
                                                  const char         *path,
                                                  JsonNode           *object,
                                                  DrKubeWriteFlags    flags,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
JsonNode      *dr_kube_client_create_finish      (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* Server-side apply of @object to the object @path, as field manager "deskrun" with
 * force=true: created when missing, updated in place otherwise. */
void           dr_kube_client_apply_async        (DrKubeClient       *self,
                                                  const char         *path,
                                                  JsonNode           *object,
                                                  DrKubeWriteFlags    flags,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
JsonNode      *dr_kube_client_apply_finish       (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* JSON merge patch (RFC 7386) of the object @path: null removes a field. */
void           dr_kube_client_merge_patch_async  (DrKubeClient       *self,
                                                  const char         *path,
                                                  JsonNode           *patch,
                                                  DrKubeWriteFlags    flags,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
JsonNode      *dr_kube_client_merge_patch_finish (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* The reply is the object (with metadata.deletionTimestamp while finalizers hold it) or a
 * Status object, whatever the server sends. */
void           dr_kube_client_delete_async       (DrKubeClient       *self,
                                                  const char         *path,
                                                  DrKubePropagation   propagation,
                                                  DrKubeWriteFlags    flags,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
JsonNode      *dr_kube_client_delete_finish      (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

/* A long-lived response, read as it arrives: a watch (?watch=true) or a followed pod log.
 * It goes over a second session of the client with the same TLS and credentials but without
 * the I/O timeout of the other calls (a quiet watch may send nothing for minutes), always
 * over HTTP/1.1 (a dead HTTP/2 connection leaves libsoup 3.2's open streams hanging), with
 * TCP keepalive. @query
 * holds names and values in turn, NULL-terminated, and may be NULL; values are
 * percent-encoded here. The result (transfer full) is the response body once a 2xx status
 * and the headers have arrived; read it on the thread-default main context of this call,
 * and cancel @cancellable or unref the stream to close the connection. A status >= 400 is an
 * error as for the other calls, with the message of the Status body (read up to 64 KiB):
 * DR_ERROR_GONE for a watch from a resourceVersion the server has forgotten,
 * DR_ERROR_NOT_FOUND for a log of a pod that is gone. A 429 is not retried here. */
void           dr_kube_client_send_stream_async  (DrKubeClient        *self,
                                                  const char          *method,
                                                  const char          *path,
                                                  const char * const  *query,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GInputStream  *dr_kube_client_send_stream_finish (DrKubeClient       *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

G_END_DECLS
