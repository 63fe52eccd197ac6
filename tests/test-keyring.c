/* test-keyring.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dr-keyring against a real gnome-keyring-daemon on a private session bus.
 */
#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "dr-error.h"
#include "dr-keyring.h"
#include "dr-test-utils.h"

#define MARK "SECRETMARK"
#define TIMEOUT_MS 20000

#define PEM_RSA \
  "-----BEGIN RSA PRIVATE KEY-----\n" \
  "MIIEowIBAAKCAQEA" MARK "tQm1yJ4m0n4dV1b2w9Kx\n" \
  "-----END RSA PRIVATE KEY-----\n"

/* Written out again rather than shared with dr-keyring.c, so a change to the stored format
 * (which would orphan every user's existing secrets) fails here. */
static const SecretSchema expected_schema = {
  "io.github.deskrun.Credential", SECRET_SCHEMA_NONE,
  {
    { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  gboolean      done;
  char         *id;
  DrCredential *credential;
  gboolean      deleted;
  GError       *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->id, g_free);
  g_clear_pointer (&result->credential, dr_credential_free);
  g_clear_error (&result->error);
  result->done = FALSE;
  result->deleted = FALSE;
}

static void
store_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  g_assert_null (source);
  result->id = dr_keyring_store_finish (res, &result->error);
  g_assert_true ((result->id == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->credential = dr_keyring_lookup_finish (res, &result->error);
  g_assert_true ((result->credential == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static void
delete_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->deleted = dr_keyring_delete_finish (res, &result->error);
  g_assert_true (result->deleted != (result->error != NULL));
  result->done = TRUE;
}

static void
store (const DrCredential *credential,
       const char         *label,
       GCancellable       *cancellable,
       Result             *result)
{
  result_clear (result);
  dr_keyring_store_async (credential, label, cancellable, store_cb, result);
  dr_test_wait_for_flag (&result->done, TIMEOUT_MS);
}

static void
lookup (const char   *id,
        GCancellable *cancellable,
        Result       *result)
{
  result_clear (result);
  dr_keyring_lookup_async (id, cancellable, lookup_cb, result);
  dr_test_wait_for_flag (&result->done, TIMEOUT_MS);
}

static void
delete (const char   *id,
        GCancellable *cancellable,
        Result       *result)
{
  result_clear (result);
  dr_keyring_delete_async (id, cancellable, delete_cb, result);
  dr_test_wait_for_flag (&result->done, TIMEOUT_MS);
}

/* libsecret is used directly here too, asynchronously like dr-keyring, so everything runs on
 * the one main context the test spins. */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Pending;

static void
pending_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Pending *pending = user_data;

  pending->result = g_object_ref (res);
  pending->done = TRUE;
}

static GAsyncResult *
pending_wait (Pending *pending)
{
  dr_test_wait_for_flag (&pending->done, TIMEOUT_MS);
  return pending->result;
}

static char *
libsecret_lookup (const char *id,
                  const char *kind)
{
  Pending pending = { 0 };
  g_autoptr(GError) error = NULL;
  char *secret;

  secret_password_lookup (&expected_schema, NULL, pending_cb, &pending,
                          "id", id, "kind", kind, NULL);
  secret = secret_password_lookup_finish (pending_wait (&pending), &error);
  g_assert_no_error (error);
  g_clear_object (&pending.result);
  return secret;
}

/* All items of the schema, or those with @id. */
static GList *
libsecret_search (const char *id)
{
  Pending pending = { 0 };
  g_autoptr(GError) error = NULL;
  GList *items;

  if (id != NULL)
    secret_password_search (&expected_schema, SECRET_SEARCH_ALL, NULL, pending_cb, &pending,
                            "id", id, NULL);
  else
    secret_password_search (&expected_schema, SECRET_SEARCH_ALL, NULL, pending_cb, &pending,
                            NULL);
  items = secret_password_search_finish (pending_wait (&pending), &error);
  g_assert_no_error (error);
  g_clear_object (&pending.result);
  return items;
}

static void
libsecret_store (const char *id,
                 const char *kind,
                 const char *label,
                 const char *secret)
{
  Pending pending = { 0 };
  g_autoptr(GError) error = NULL;

  secret_password_store (&expected_schema, SECRET_COLLECTION_DEFAULT, label, secret, NULL,
                         pending_cb, &pending, "id", id, "kind", kind, NULL);
  g_assert_true (secret_password_store_finish (pending_wait (&pending), &error));
  g_assert_no_error (error);
  g_clear_object (&pending.result);
}

static void
assert_credentials_equal (const DrCredential *a,
                          const DrCredential *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->token, ==, b->token);
  g_assert_cmpstr (a->app_id, ==, b->app_id);
  g_assert_cmpstr (a->installation_id, ==, b->installation_id);
  g_assert_cmpstr (a->private_key, ==, b->private_key);
}

/* What a keyring manager sees, read with libsecret directly, not through dr-keyring. */
static void
assert_stored_item (const char         *id,
                    const DrCredential *credential,
                    const char         *kind,
                    const char         *label)
{
  const char *other_kind = g_str_equal (kind, "pat") ? "github-app" : "pat";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(DrCredential) parsed = NULL;
  g_autofree char *stored_label = NULL;
  GList *items;
  char *secret;

  secret = libsecret_lookup (id, kind);
  g_assert_nonnull (secret);
  parsed = dr_credential_deserialize (secret, &error);
  g_assert_no_error (error);
  assert_credentials_equal (parsed, credential);
  secret_password_free (secret);

  g_assert_null (libsecret_lookup (id, other_kind));

  items = libsecret_search (id);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  stored_label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (stored_label, ==, label);
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "id"), ==, id);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, kind);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==,
                   "io.github.deskrun.Credential");
  g_list_free_full (items, g_object_unref);
}

static void
assert_not_stored (const char *id)
{
  g_assert_null (libsecret_search (id));
}

static void
check_life_cycle (const DrCredential *credential,
                  const char         *kind)
{
  g_autofree char *id = NULL;
  Result result = { 0 };

  store (credential, "deskrun: test-runner", NULL, &result);
  g_assert_no_error (result.error);
  id = g_steal_pointer (&result.id);
  g_assert_true (g_uuid_string_is_valid (id));

  assert_stored_item (id, credential, kind, "deskrun: test-runner");

  lookup (id, NULL, &result);
  g_assert_no_error (result.error);
  assert_credentials_equal (result.credential, credential);

  delete (id, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.deleted);
  assert_not_stored (id);

  lookup (id, NULL, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result.error->message, id));
  g_assert_nonnull (strstr (result.error->message, "add it again"));

  /* Deleting what is not there succeeds. */
  delete (id, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.deleted);

  result_clear (&result);
}

static void
test_pat (void)
{
  g_autoptr(DrCredential) credential =
    dr_credential_new_pat ("ghp_" MARK "42F292c6912E7710c838347Ae178B4a");

  check_life_cycle (credential, "pat");
}

static void
test_app (void)
{
  g_autoptr(DrCredential) credential = dr_credential_new_app ("Iv23liAbCdEfGhIjKlMn",
                                                              "98765432", PEM_RSA);

  check_life_cycle (credential, "github-app");
}

static void
test_distinct_ids (void)
{
  g_autoptr(DrCredential) credential =
    dr_credential_new_pat ("ghp_" MARK "42F292c6912E7710c838347Ae178B4a");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Result result = { 0 };

  store (credential, "deskrun: one", NULL, &result);
  g_assert_no_error (result.error);
  first = g_steal_pointer (&result.id);
  store (credential, "deskrun: two", NULL, &result);
  g_assert_no_error (result.error);
  second = g_steal_pointer (&result.id);

  /* The same secret twice is two items, not one replaced. */
  g_assert_cmpstr (first, !=, second);
  assert_stored_item (first, credential, "pat", "deskrun: one");
  assert_stored_item (second, credential, "pat", "deskrun: two");

  delete (first, NULL, &result);
  g_assert_no_error (result.error);
  assert_not_stored (first);
  lookup (second, NULL, &result);
  g_assert_no_error (result.error);
  assert_credentials_equal (result.credential, credential);

  delete (second, NULL, &result);
  g_assert_no_error (result.error);
  assert_not_stored (second);
  result_clear (&result);
}

static void
test_damaged (void)
{
  g_autofree char *id = g_uuid_string_random ();
  Result result = { 0 };

  /* Someone edited the item in a keyring manager. */
  libsecret_store (id, "pat", "deskrun: damaged", "{\"kind\":\"pat\",\"token\":\"ghp_" MARK "\"");

  lookup (id, NULL, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_KEYRING);
  g_assert_nonnull (strstr (result.error->message, "damaged"));
  g_assert_null (strstr (result.error->message, MARK));

  delete (id, NULL, &result);
  g_assert_no_error (result.error);
  assert_not_stored (id);
  result_clear (&result);
}

static void
test_cancelled (void)
{
  g_autoptr(DrCredential) credential =
    dr_credential_new_pat ("ghp_" MARK "42F292c6912E7710c838347Ae178B4a");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };

  g_cancellable_cancel (cancellable);

  store (credential, "deskrun: cancelled", cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  lookup ("00000000-0000-4000-8000-000000000000", cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  delete ("00000000-0000-4000-8000-000000000000", cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The cancelled store left nothing behind. */
  g_assert_null (libsecret_search (NULL));
  result_clear (&result);
}

static GVariant *
call_keyring (const char         *path,
              const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { 0 };
  GVariant *reply;

  g_bus_get (G_BUS_TYPE_SESSION, NULL, pending_cb, &pending);
  bus = g_bus_get_finish (pending_wait (&pending), &error);
  g_assert_no_error (error);
  g_clear_object (&pending.result);
  pending.done = FALSE;

  g_dbus_connection_call (bus, "org.freedesktop.secrets", path, interface, method, parameters,
                          reply_type, G_DBUS_CALL_FLAGS_NONE, -1, NULL, pending_cb, &pending);
  reply = g_dbus_connection_call_finish (bus, pending_wait (&pending), &error);
  g_assert_no_error (error);
  g_clear_object (&pending.result);
  return reply;
}

static char *
default_collection_path (void)
{
  g_autoptr(GVariant) reply = NULL;
  char *path;

  reply = call_keyring ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                        "ReadAlias", g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"));
  g_variant_get (reply, "(o)", &path);
  g_assert_cmpstr (path, !=, "/");
  return path;
}

static void
set_default_collection_locked (gboolean locked)
{
  g_autofree char *collection = default_collection_path ();
  const char *objects[] = { collection, NULL };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) session = NULL;
  const char *session_path;

  if (locked)
    {
      /* gnome-keyring locks without a prompt. */
      reply = call_keyring ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
                            g_variant_new ("(^ao)", objects), G_VARIANT_TYPE ("(aoo)"));
      return;
    }

  /* Unlocking normally prompts, and there is no prompter on the test bus: gnome-keyring's
   * interface for its own tests takes the password directly. */
  session = call_keyring ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                          "OpenSession", g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                          G_VARIANT_TYPE ("(vo)"));
  g_variant_get (session, "(v&o)", NULL, &session_path);
  reply = call_keyring ("/org/freedesktop/secrets",
                        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                        "UnlockWithMasterPassword",
                        g_variant_new ("(o(o@ay@ays))", collection, session_path,
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                  "test-password", 13, 1),
                                       "text/plain"),
                        NULL);
}

static void
test_locked (void)
{
  g_autoptr(DrCredential) credential =
    dr_credential_new_pat ("ghp_" MARK "42F292c6912E7710c838347Ae178B4a");
  g_autofree char *id = NULL;
  Result result = { 0 };

  store (credential, "deskrun: locked", NULL, &result);
  g_assert_no_error (result.error);
  id = g_steal_pointer (&result.id);

  /* With no prompter on the test bus, every unlock prompt ends dismissed, as when the user
   * closes the dialog. */
  set_default_collection_locked (TRUE);

  lookup (id, NULL, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_KEYRING);
  g_assert_nonnull (strstr (result.error->message, "stayed locked"));

  delete (id, NULL, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_KEYRING);
  g_assert_nonnull (strstr (result.error->message, "stayed locked"));

  store (credential, "deskrun: locked", NULL, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_KEYRING);
  g_assert_nonnull (strstr (result.error->message, "stayed locked"));

  set_default_collection_locked (FALSE);

  /* Nothing was lost while locked. */
  lookup (id, NULL, &result);
  g_assert_no_error (result.error);
  assert_credentials_equal (result.credential, credential);
  delete (id, NULL, &result);
  g_assert_no_error (result.error);
  assert_not_stored (id);
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int ret;

  dr_test_init (&argc, &argv);
  keyring = dr_test_keyring_start ();

  g_test_add_func ("/deskrun/keyring/pat", test_pat);
  g_test_add_func ("/deskrun/keyring/app", test_app);
  g_test_add_func ("/deskrun/keyring/distinct-ids", test_distinct_ids);
  g_test_add_func ("/deskrun/keyring/damaged", test_damaged);
  g_test_add_func ("/deskrun/keyring/cancelled", test_cancelled);
  g_test_add_func ("/deskrun/keyring/locked", test_locked);

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
