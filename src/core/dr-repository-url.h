/* dr-repository-url.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GitHub URL a runner registers with: a repository, an organisation or an enterprise, on
 * github.com or a GitHub Enterprise Server.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DR_REPOSITORY_SCOPE_REPOSITORY,    /* https://HOST/OWNER/REPO */
  DR_REPOSITORY_SCOPE_ORGANIZATION,  /* https://HOST/ORG */
  DR_REPOSITORY_SCOPE_ENTERPRISE,    /* https://HOST/enterprises/ENT */
} DrRepositoryScope;

/* Returns the normalized URL (trailing "/" and ".git" removed) or NULL with DR_ERROR_INVALID. */
char            *dr_normalize_repository_url      (const char         *url,
                                                   DrRepositoryScope  *out_scope,
                                                   GError            **error);

G_END_DECLS
