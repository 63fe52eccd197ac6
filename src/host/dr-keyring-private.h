/* dr-keyring-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests: the schema deskrun's keyring items carry, so a test counts them the way
 * dr-keyring.c stores them rather than with a copy of the schema.
 */
#pragma once

#include <libsecret/secret.h>

#include "dr-keyring.h"

G_BEGIN_DECLS

const SecretSchema *_dr_keyring_get_schema (void);

G_END_DECLS
