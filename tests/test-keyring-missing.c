/* test-keyring-missing.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dr-keyring where no Secret Service can be reached: every call fails with DR_ERROR_KEYRING
 * and says what to install, and the secret goes nowhere else.
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-keyring.h"
#include "dr-test-utils.h"

#define TOKEN "ghp_SECRETMARK42F292c6912E7710c838347Ae17"
#define TIMEOUT_MS 20000

typedef struct
{
  gboolean  done;
  char     *id;
  GError   *error;
} Result;

static void
store_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->id = dr_keyring_store_finish (res, &result->error);
  result->done = TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(DrCredential) credential = dr_keyring_lookup_finish (res, &result->error);

  g_assert_null (credential);
  result->done = TRUE;
}

static void
delete_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  g_assert_false (dr_keyring_delete_finish (res, &result->error));
  result->done = TRUE;
}

static void
assert_no_keyring_error (Result *result)
{
  g_assert_null (result->id);
  g_assert_error (result->error, DR_ERROR, DR_ERROR_KEYRING);
  g_assert_nonnull (strstr (result->error->message, "No keyring is available"));
  g_assert_nonnull (strstr (result->error->message, "install and start GNOME Keyring"));
  g_assert_null (strstr (result->error->message, TOKEN));
  g_clear_error (&result->error);
  result->done = FALSE;
}

/* Store, lookup and delete all fail the same way, and the token is in no file deskrun or
 * anything it started could have written. */
static void
check_every_call_fails (void)
{
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
  const char *dirs[] = {
    g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
    g_get_user_cache_dir (), g_get_user_state_dir (), g_get_user_runtime_dir (),
  };
  Result result = { 0 };

  dr_keyring_store_async (credential, "deskrun: test", NULL, store_cb, &result);
  dr_test_wait_for_flag (&result.done, TIMEOUT_MS);
  assert_no_keyring_error (&result);

  dr_keyring_lookup_async ("00000000-0000-4000-8000-000000000000", NULL, lookup_cb, &result);
  dr_test_wait_for_flag (&result.done, TIMEOUT_MS);
  assert_no_keyring_error (&result);

  dr_keyring_delete_async ("00000000-0000-4000-8000-000000000000", NULL, delete_cb, &result);
  dr_test_wait_for_flag (&result.done, TIMEOUT_MS);
  assert_no_keyring_error (&result);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      /* The isolated directories, never the developer's. */
      g_assert_true (g_str_has_prefix (dirs[i], g_getenv ("G_TEST_TMPDIR")));
      dr_test_assert_no_file_contains (dirs[i], TOKEN);
    }
}

static void
test_no_service (void)
{
  GTestDBus *bus = dr_test_bus_without_keyring ();

  check_every_call_fails ();

  g_test_dbus_down (bus);
  g_object_unref (bus);
}

/* A service file exists, but the provider fails to start (uninstalled, broken). */
static void
test_activation_fails (void)
{
  g_autofree char *false_path = g_find_program_in_path ("false");
  g_autofree char *services = g_build_filename (g_get_user_data_dir (), "dbus-1", "services",
                                                NULL);
  g_autofree char *service_file = g_build_filename (services, "org.freedesktop.secrets.service",
                                                    NULL);
  g_autofree char *contents = NULL;
  GTestDBus *bus;

  g_assert_nonnull (false_path);
  contents = g_strdup_printf ("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n",
                              false_path);
  dr_test_write_file (service_file, contents, 0644);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus, services);
  g_test_dbus_up (bus);

  check_every_call_fails ();

  g_test_dbus_down (bus);
  g_object_unref (bus);
}

/* No session bus at all, as in a bare SSH session. */
static void
test_no_bus (void)
{
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-bus-here",
                                              g_get_user_runtime_dir ());

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  check_every_call_fails ();

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/keyring-missing/no-service", test_no_service);
  g_test_add_func ("/deskrun/keyring-missing/activation-fails", test_activation_fails);
  g_test_add_func ("/deskrun/keyring-missing/no-bus", test_no_bus);

  return g_test_run ();
}
