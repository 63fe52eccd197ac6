/* dr-kube-tls.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-kube-tls.h"

/* Trust for a kubeconfig's certificate-authority-data.
 *
 * The kubeconfig's CA must be the *only* trust anchor: a server with a certificate from a
 * public CA is still the wrong server. libsoup offers two hooks. SoupMessage::accept-certificate
 * only runs after the system database has rejected a certificate, so a certificate from a CA
 * the system trusts would be accepted without asking us; and GTlsFileDatabase wants a file,
 * while the kubeconfig hands us PEM data (writing keys or CAs to disk is what we avoid). A
 * GTlsDatabase of our own, set on the session, is asked about every handshake: verify_chain()
 * checks the peer's chain and the server identity (host name or IP SAN) against each CA
 * certificate with g_tls_certificate_verify(), which is what the TLS backend's own database
 * does for its anchors. A rejected chain fails the handshake with G_TLS_ERROR_BAD_CERTIFICATE.
 * The object is immutable after construction, so the handshake thread may use it. */
#define DR_TYPE_KUBE_CA_DATABASE (dr_kube_ca_database_get_type ())
G_DECLARE_FINAL_TYPE (DrKubeCaDatabase, dr_kube_ca_database, DR, KUBE_CA_DATABASE, GTlsDatabase)

struct _DrKubeCaDatabase
{
  GTlsDatabase  parent_instance;
  GPtrArray    *anchors;              /* GTlsCertificate */
};

G_DEFINE_FINAL_TYPE (DrKubeCaDatabase, dr_kube_ca_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
dr_kube_ca_database_verify_chain (GTlsDatabase             *database,
                                  GTlsCertificate          *chain,
                                  const char               *purpose,
                                  GSocketConnectable       *identity,
                                  GTlsInteraction          *interaction,
                                  GTlsDatabaseVerifyFlags   flags,
                                  GCancellable             *cancellable,
                                  GError                  **error)
{
  DrKubeCaDatabase *self = DR_KUBE_CA_DATABASE (database);
  GTlsCertificateFlags result = G_TLS_CERTIFICATE_UNKNOWN_CA;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;

  for (guint i = 0; i < self->anchors->len; i++)
    {
      GTlsCertificateFlags errors;

      errors = g_tls_certificate_verify (chain, identity, g_ptr_array_index (self->anchors, i));
      if (errors == 0)
        return 0;
      /* Signed by this CA but wrong in another way (name, dates): that is the useful answer. */
      if ((errors & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
        result = errors;
    }

  return result;
}

/* The TLS backend may ask for issuers to complete a chain; the anchors are never looked up
 * (the peer sends its chain), so "none" is a correct answer and avoids criticals from the
 * unimplemented defaults. */
static GTlsCertificate *
dr_kube_ca_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                               GTlsCertificate          *certificate,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  return NULL;
}

static GList *
dr_kube_ca_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                   GByteArray               *issuer_raw_dn,
                                                   GTlsInteraction          *interaction,
                                                   GTlsDatabaseLookupFlags   flags,
                                                   GCancellable             *cancellable,
                                                   GError                  **error)
{
  return NULL;
}

static void
dr_kube_ca_database_finalize (GObject *object)
{
  DrKubeCaDatabase *self = DR_KUBE_CA_DATABASE (object);

  g_clear_pointer (&self->anchors, g_ptr_array_unref);

  G_OBJECT_CLASS (dr_kube_ca_database_parent_class)->finalize (object);
}

static void
dr_kube_ca_database_class_init (DrKubeCaDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = dr_kube_ca_database_finalize;
  database_class->verify_chain = dr_kube_ca_database_verify_chain;
  database_class->lookup_certificate_issuer = dr_kube_ca_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = dr_kube_ca_database_lookup_certificates_issued_by;
}

static void
dr_kube_ca_database_init (DrKubeCaDatabase *self)
{
  self->anchors = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Every "BEGIN CERTIFICATE" block of @pem becomes an anchor (a CA bundle may hold several;
 * g_tls_certificate_new_from_pem() alone would read the first and treat the rest as its
 * chain). Text between the blocks is ignored, as openssl does. */
GTlsDatabase *
dr_kube_tls_database_new (GBytes  *pem,
                          GError **error)
{
  static const char begin_marker[] = "-----BEGIN CERTIFICATE-----";
  static const char end_marker[] = "-----END CERTIFICATE-----";
  g_autoptr(DrKubeCaDatabase) self = g_object_new (DR_TYPE_KUBE_CA_DATABASE, NULL);
  gsize length = 0;
  const char *data = g_bytes_get_data (pem, &length);
  const char *end = data + length;
  const char *p = data;

  while (length > 0 && p < end)
    {
      const char *start = g_strstr_len (p, end - p, begin_marker);
      const char *stop;
      GTlsCertificate *certificate;

      if (start == NULL)
        break;
      stop = g_strstr_len (start, end - start, end_marker);
      if (stop == NULL)
        {
          g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                               _("a certificate is cut off"));
          return NULL;
        }
      stop += strlen (end_marker);

      certificate = g_tls_certificate_new_from_pem (start, stop - start, error);
      if (certificate == NULL)
        return NULL;
      g_ptr_array_add (self->anchors, certificate);
      p = stop;
    }

  if (self->anchors->len == 0)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           _("it holds no PEM certificate"));
      return NULL;
    }

  return G_TLS_DATABASE (g_steal_pointer (&self));
}

/* Cert and key PEM in one buffer, as g_tls_certificate_new_from_pem() wants them. The buffer
 * holds a private key, so it is wiped before it is freed. */
GTlsCertificate *
dr_kube_tls_client_certificate_new (GBytes  *certificate,
                                    GBytes  *key,
                                    GError **error)
{
  gsize cert_length = 0;
  gsize key_length = 0;
  const char *cert_data = g_bytes_get_data (certificate, &cert_length);
  const char *key_data = g_bytes_get_data (key, &key_length);
  gsize length = cert_length + 1 + key_length;
  char *pem = g_malloc (length + 1);
  GTlsCertificate *result;

  if (cert_length > 0)
    memcpy (pem, cert_data, cert_length);
  pem[cert_length] = '\n';
  if (key_length > 0)
    memcpy (pem + cert_length + 1, key_data, key_length);
  pem[length] = '\0';

  result = g_tls_certificate_new_from_pem (pem, length, error);
  memset (pem, 0, length);
  g_free (pem);

  /* Without a key we can read, the PEM parser quietly returns a bare certificate. */
  if (result != NULL)
    {
      g_autofree char *key_pem = NULL;

      g_object_get (result, "private-key-pem", &key_pem, NULL);
      if (key_pem == NULL)
        {
          g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                               _("the client key is not a PEM private key"));
          g_clear_object (&result);
        }
      else
        memset (key_pem, 0, strlen (key_pem));
    }

  return result;
}
