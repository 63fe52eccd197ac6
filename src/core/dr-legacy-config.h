/* dr-legacy-config.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the deskrun Go CLI's ~/.deskrun/config.json (FACTS.md §2.11) so its users keep their
 * runners. That file holds tokens in plain text; the importer moves them into the keyring and
 * tells the user the old file still has them.
 */
#pragma once

#include <glib.h>

#include "dr-credential.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

typedef struct
{
  DrRunnerSpec *spec;        /* credential_id is NULL: the caller stores the credential first */
  DrCredential *credential;  /* the plaintext AuthValue, now in memory only */
} DrLegacyInstallation;

void       dr_legacy_installation_free (DrLegacyInstallation *self);

/* ~/.deskrun/config.json */
char      *dr_legacy_config_default_path (void);

/* Parses the file's contents. Returns an array of DrLegacyInstallation (sorted by name),
 * or NULL with DR_ERROR_BAD_CONFIG naming the problem. Installations that break deskrun's
 * rules are not dropped silently: @out_warnings (nullable) gets one message per skipped
 * installation, saying which and why. @out_cluster_name (nullable) gets "cluster_name". */
GPtrArray *dr_legacy_config_parse      (const char  *contents,
                                        gssize       length,
                                        char       **out_cluster_name,
                                        GPtrArray  **out_warnings,
                                        GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrLegacyInstallation, dr_legacy_installation_free)

G_END_DECLS
