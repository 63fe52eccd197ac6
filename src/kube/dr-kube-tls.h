/* dr-kube-tls.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TLS from a kubeconfig, in memory: the certificate authority as the only trust anchor, and
 * the user's client certificate with its key. Nothing is written to disk.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A database that trusts exactly the certificates of @pem (every "BEGIN CERTIFICATE" block,
 * a bundle may hold several) and nothing from the system: a server certificate from a
 * public CA is still the wrong server. Checks the chain and the server identity (host name or
 * IP SAN). G_TLS_ERROR_BAD_CERTIFICATE when @pem holds no usable certificate. */
GTlsDatabase    *dr_kube_tls_database_new           (GBytes  *pem,
                                                     GError **error);

/* The client certificate @certificate (PEM) with the private key @key (PEM). A key that
 * cannot be read is an error (G_TLS_ERROR_BAD_CERTIFICATE), not a certificate without one.
 * The buffers that held the key are wiped. */
GTlsCertificate *dr_kube_tls_client_certificate_new (GBytes  *certificate,
                                                     GBytes  *key,
                                                     GError **error);

G_END_DECLS
