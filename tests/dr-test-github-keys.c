/* dr-test-github-keys.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dr-test-github-keys.h"

static void
run_openssl (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                     G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error))
    g_error ("openssl: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s: %s (%s)", argv[1], error->message, err);
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  return text;
}

const DrTestAppKeys *
dr_test_app_keys (void)
{
  static DrTestAppKeys keys;
  g_autofree char *dir = NULL;
  g_autofree char *pkcs1 = NULL;
  g_autofree char *pkcs8 = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *ec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (keys.private_pkcs1 != NULL)
    return &keys;
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed (build-aux/dev test installs it)");
      return NULL;
    }

  dir = g_dir_make_tmp ("deskrun-app-key-XXXXXX", &error);
  g_assert_no_error (error);
  pkcs1 = g_build_filename (dir, "key.pem", NULL);
  pkcs8 = g_build_filename (dir, "key8.pem", NULL);
  pub = g_build_filename (dir, "pub.pem", NULL);
  ec = g_build_filename (dir, "ec.pem", NULL);
  {
    const char *genrsa[] = { "openssl", "genrsa", "-traditional", "-out", pkcs1, "2048", NULL };
    const char *topk8[] = { "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", pkcs1, "-out",
                            pkcs8, NULL };
    const char *pubout[] = { "openssl", "rsa", "-in", pkcs1, "-pubout", "-out", pub, NULL };
    const char *genec[] = { "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-out", ec, NULL };

    run_openssl (genrsa);
    run_openssl (topk8);
    run_openssl (pubout);
    run_openssl (genec);
  }
  keys.private_pkcs1 = read_file (dir, "key.pem");
  keys.private_pkcs8 = read_file (dir, "key8.pem");
  keys.public_pem = read_file (dir, "pub.pem");
  keys.ec_private = read_file (dir, "ec.pem");
  g_unlink (pkcs1);
  g_unlink (pkcs8);
  g_unlink (pub);
  g_unlink (ec);
  g_rmdir (dir);
  return &keys;
}
