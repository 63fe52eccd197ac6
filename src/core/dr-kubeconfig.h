/* dr-kubeconfig.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kubeconfig files (libyaml): KUBECONFIG list merging and ~/.kube/config, contexts, clusters
 * and users, resolved into what a client needs to talk to one API server. Pure parsing: the
 * files a kubeconfig names (certificate files, token files) are read through the caller's
 * DrKubeconfigReadFunc, and $KUBECONFIG is read above core (host/dr-kubeconfig-file.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Everything needed to reach one API server as one user. PEM data is inlined: file
 * references have been read and *-data fields base64-decoded. */
typedef struct
{
  char   *context_name;
  char   *cluster_name;
  char   *user_name;
  char   *server;                  /* "https://127.0.0.1:6443" */
  char   *namespace_;              /* NULL when the context names none */
  GBytes *certificate_authority;   /* PEM, NULL: use the system CAs */
  GBytes *client_certificate;      /* PEM, NULL when not used */
  GBytes *client_key;              /* PEM, NULL when not used */
  char   *token;                   /* bearer token (token or tokenFile), NULL when not used */
  gboolean insecure_skip_tls_verify;
} DrKubeContext;

DrKubeContext *dr_kube_context_copy (const DrKubeContext *self);
void           dr_kube_context_free (DrKubeContext       *self);

typedef struct _DrKubeconfig DrKubeconfig;

/* Reads a file a kubeconfig names: one of a list of kubeconfigs, a certificate, a token file.
 * The contents, or NULL with a G_FILE_ERROR — G_FILE_ERROR_NOENT for a missing file, which a
 * list of kubeconfigs skips, as kubectl does. host/dr-kubeconfig-file.h has the real one. */
typedef GBytes *(*DrKubeconfigReadFunc) (const char  *path,
                                         gpointer     user_data,
                                         GError     **error);

/* The kubeconfigs at @paths, merged: the first file to set a map key wins, the first
 * current-context wins. Every file, and every file they name, is read with @read. */
DrKubeconfig  *dr_kubeconfig_parse_files    (const char * const  *paths,
                                             DrKubeconfigReadFunc read,
                                             gpointer             user_data,
                                             GError             **error);
/* A kubeconfig given as text (kind prints one). @origin names it in error messages; relative
 * paths in it resolve against @dir; @read (may be NULL: then it may name no file) reads the
 * files it names. */
DrKubeconfig  *dr_kubeconfig_parse_data     (const char          *data,
                                             gssize               length,
                                             const char          *origin,
                                             const char          *dir,
                                             DrKubeconfigReadFunc read,
                                             gpointer             user_data,
                                             GError             **error);
void           dr_kubeconfig_free           (DrKubeconfig        *self);

const char    *dr_kubeconfig_get_current_context (DrKubeconfig  *self);
/* Context names in file order. */
GStrv          dr_kubeconfig_dup_context_names   (DrKubeconfig  *self);

/* Resolves @context (NULL: current-context). Errors (DR_ERROR_BAD_CONFIG) name the file and
 * the key; an exec credential plugin or auth-provider gives DR_ERROR_UNSUPPORTED naming the
 * context. */
DrKubeContext *dr_kubeconfig_resolve        (DrKubeconfig        *self,
                                             const char          *context,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrKubeContext, dr_kube_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrKubeconfig, dr_kubeconfig_free)

G_END_DECLS
