/* dr-test-utils.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dr-kube-client.h"

G_BEGIN_DECLS

/* Call instead of g_test_init(): adds G_TEST_OPTION_ISOLATE_DIRS, so HOME and every XDG
 * directory point into a fresh temporary directory for each test case. */
void      dr_test_init              (int          *argc,
                                     char       ***argv);

/* Writes @contents to @path (creating parent directories) and sets @mode. */
void      dr_test_write_file        (const char   *path,
                                     const char   *contents,
                                     int           mode);
char     *dr_test_read_file         (const char   *path);
int       dr_test_file_mode         (const char   *path);
/* Fails the test when any file below @dir contains @needle (used to prove that no secret
 * reaches a config or cache directory). */
void      dr_test_assert_no_file_contains (const char *dir,
                                           const char *needle);

/* Spins the default main context until *@flag is TRUE; fails after @timeout_ms. */
void      dr_test_wait_for_flag     (gboolean     *flag,
                                     guint         timeout_ms);

/* Spins the default main context until @predicate (@data) holds; fails after @timeout_ms,
 * naming @what. */
typedef gboolean (*DrTestPredicate) (gpointer data);
void      dr_test_wait_until        (DrTestPredicate  predicate,
                                     gpointer         data,
                                     guint            timeout_ms,
                                     const char      *what);

/* A private D-Bus session with a real gnome-keyring-daemon, unlocked, secrets component
 * only (TESTING.md). Start once per test program, before libsecret is first used. */
typedef struct _DrTestKeyring DrTestKeyring;
DrTestKeyring *dr_test_keyring_start (void);
void           dr_test_keyring_stop  (DrTestKeyring *keyring);

/* A private D-Bus session where no secret service exists at all. */
GTestDBus     *dr_test_bus_without_keyring (void);

/* The directory of ../shared/fixtures, or NULL (and the test is skipped with a message
 * saying so) when the shared folder is not beside the checkout. */
const char    *dr_test_fixtures_dir  (void);

/* A GAsyncReadyCallback that stores a reference to @result in *(GAsyncResult **) @user_data,
 * for tests that spin until it is set. */
void           dr_test_store_result_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data);

/* How a test client authenticates to a fake API server; every field may be NULL. */
typedef struct
{
  GBytes     *ca;        /* PEM */
  GBytes     *cert;      /* PEM, with key */
  GBytes     *key;
  const char *token;
  gboolean    insecure;
} DrTestKubeCredentials;

/* A Kubernetes client for @url (context, cluster and user "kind-deskrun"); @credentials may
 * be NULL. Fails the test when the client cannot be made. */
DrKubeClient  *dr_test_kube_client_new (const char                  *url,
                                        const DrTestKubeCredentials *credentials);

/* How many items deskrun has in the keyring, found with dr-keyring.c's own schema. */
guint          dr_test_count_keyring_items (void);

G_END_DECLS
