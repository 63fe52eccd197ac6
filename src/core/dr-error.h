/* dr-error.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* DR_ERROR carries what a failure *means* to the user. Cancellation, timeouts and plain
 * network failures stay in G_IO_ERROR, as GLib code expects. Messages are written for a
 * person, translated where they arise, and say what to do next when there is something. */
#define DR_ERROR (dr_error_quark ())

typedef enum
{
  DR_ERROR_FAILED = 1,
  DR_ERROR_INVALID,             /* input that breaks a rule (runner spec, CLI argument) */
  DR_ERROR_BAD_CONFIG,          /* a config or kubeconfig file we cannot use */
  DR_ERROR_NEWER_CONFIG,        /* a config written by a newer deskrun: read-only for us */
  DR_ERROR_KEYRING,             /* no usable system keyring (never a plaintext fallback) */
  DR_ERROR_NOT_FOUND,           /* 404, a missing runner, a missing secret */
  DR_ERROR_UNAUTHORIZED,        /* 401 */
  DR_ERROR_FORBIDDEN,           /* 403 */
  DR_ERROR_CONFLICT,            /* 409 */
  DR_ERROR_GONE,                /* 410: a watch must relist */
  DR_ERROR_UNPROCESSABLE,       /* 422: the server rejected the object */
  DR_ERROR_RATE_LIMITED,        /* 429 */
  DR_ERROR_SERVER,              /* 5xx */
  DR_ERROR_BAD_RESPONSE,        /* a reply we could not understand */
  DR_ERROR_UNSUPPORTED,         /* e.g. an exec credential plugin in a kubeconfig */
  DR_ERROR_HOST_COMMAND,        /* docker / kind exited with an error */
} DrError;

GQuark  dr_error_quark            (void);

/* What an HTTP status means, for every HTTP client here (Kubernetes, the chart registry):
 * 400 INVALID, 401 UNAUTHORIZED, 403 FORBIDDEN, 404 NOT_FOUND, 409 CONFLICT, 410 GONE,
 * 422 UNPROCESSABLE, 429 RATE_LIMITED, 5xx SERVER, anything else FAILED. */
DrError dr_error_from_http_status (guint status);

G_END_DECLS
