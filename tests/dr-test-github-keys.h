/* dr-test-github-keys.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GitHub App's RSA key for tests, made by openssl at test time (an implementation
 * independent of the GnuTLS code that signs), once per test program.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *private_pkcs1;   /* "BEGIN RSA PRIVATE KEY": what GitHub hands out */
  char *private_pkcs8;   /* "BEGIN PRIVATE KEY" */
  char *public_pem;      /* "BEGIN PUBLIC KEY" */
  char *ec_private;      /* an EC key, which GitHub Apps never have */
} DrTestAppKeys;

/* Skips the test (with a message) when openssl is not installed. */
const DrTestAppKeys *dr_test_app_keys (void);

G_END_DECLS
