/* test-credential.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "dr-credential.h"
#include "dr-error.h"
#include "dr-test-utils.h"

/* Every secret in the bad-input tables carries this marker, so a message that quotes any part
 * of the value is caught. */
#define MARK "SECRETMARK"

#define PEM_RSA \
  "-----BEGIN RSA PRIVATE KEY-----\n" \
  "MIIEowIBAAKCAQEA" MARK "tQm1yJ4m0n4dV1b2w9Kx\n" \
  "-----END RSA PRIVATE KEY-----\n"
#define PEM_PKCS8 \
  "-----BEGIN PRIVATE KEY-----\n" \
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" MARK "\n" \
  "-----END PRIVATE KEY-----"

static void
assert_message_keeps_secrets (const GError       *error,
                              const DrCredential *credential)
{
  const char *values[] = {
    credential->token, credential->app_id, credential->installation_id,
    credential->private_key,
  };

  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_null (strstr (error->message, MARK));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      /* Digits-only and tiny values ("0", "1") may legitimately appear in any sentence. */
      if (values[i] != NULL && strlen (values[i]) >= 8)
        g_assert_null (strstr (error->message, values[i]));
    }
}

static void
test_pat_valid (void)
{
  const char *tokens[] = {
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345678",
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghu_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
    /* Classic 40-hex token without a prefix, as GHES and old accounts have. */
    "0123456789abcdef0123456789abcdef01234567",
    /* Some unknown future or GHES format: still accepted. */
    "ghx-Some.Other_Format~0123456789",
  };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(DrCredential) credential = dr_credential_new_pat (tokens[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("token case %u", i);
      /* A PAT is fine at every scope, enterprise included. */
      for (DrRepositoryScope scope = DR_REPOSITORY_SCOPE_REPOSITORY;
           scope <= DR_REPOSITORY_SCOPE_ENTERPRISE; scope++)
        {
          g_assert_true (dr_credential_validate (credential, scope, &error));
          g_assert_no_error (error);
        }
    }
}

static void
test_pat_invalid (void)
{
  g_autofree char *too_long = g_strnfill (1025, 'a');
  const struct
  {
    const char *token;
    const char *hint;  /* a word the message must contain */
  } cases[] = {
    { NULL, "Enter" },
    { "", "Enter" },
    { "ghp_" MARK " 2F292c6912E7710c838347Ae178B4a", "spaces" },
    { "ghp_" MARK "2F292c6912E7710c838347Ae178B4a\n", "line breaks" },
    { "\tghp_" MARK "2F292c6912E7710c838347Ae178B4a", "spaces" },
    { "Bearer ghp_" MARK "2F292c6912E7710c838347Ae178B4a", "spaces" },
    { "ghp_" MARK "\xc3\xa4" "2F292c6912E7710c838347Ae178B4a", "characters" },
    { "ghp_" MARK "\x01" "2F292c6912E7710c838347Ae178B4a", "characters" },
    { "ghp_" MARK, "too short" },
    { too_long, "too long" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrCredential) credential = dr_credential_new_pat (cases[i].token);
      g_autoptr(GError) error = NULL;

      g_test_message ("token case %u", i);
      g_assert_false (dr_credential_validate (credential, DR_REPOSITORY_SCOPE_REPOSITORY,
                                              &error));
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].hint));
      assert_message_keeps_secrets (error, credential);
    }
}

static void
test_app_valid (void)
{
  const struct
  {
    const char *app_id;
    const char *installation_id;
    const char *private_key;
  } cases[] = {
    { "123456", "12345678", PEM_RSA },
    { "1", "1", PEM_PKCS8 },
    { "Iv1.0123456789abcdef", "98765432", PEM_RSA },
    { "Iv23liAbCdEfGhIjKlMn", "18446744073709551615", PEM_RSA },
    /* Text around the block, as when a whole file with a comment is pasted. */
    { "123456", "42", "Private key for my app\n" PEM_RSA "\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrCredential) credential = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("app case %u", i);
      credential = dr_credential_new_app (cases[i].app_id, cases[i].installation_id,
                                          cases[i].private_key);
      g_assert_true (dr_credential_validate (credential, DR_REPOSITORY_SCOPE_REPOSITORY,
                                             &error));
      g_assert_no_error (error);
      g_assert_true (dr_credential_validate (credential, DR_REPOSITORY_SCOPE_ORGANIZATION,
                                             &error));
      g_assert_no_error (error);
    }
}

static void
test_app_invalid (void)
{
  g_autofree char *long_app_id = g_strnfill (65, '7');
  g_autofree char *huge_key = NULL;
  const struct
  {
    const char *app_id;
    const char *installation_id;
    const char *private_key;
    const char *hint;
  } cases[] = {
    { NULL, "42", PEM_RSA, "app ID or client ID" },
    { "", "42", PEM_RSA, "app ID or client ID" },
    { "0", "42", PEM_RSA, "client ID looks like" },
    { "12 34", "42", PEM_RSA, "client ID looks like" },
    { "Iv1-abc", "42", PEM_RSA, "client ID looks like" },
    { "Iv1.abc/", "42", PEM_RSA, "client ID looks like" },
    { long_app_id, "42", PEM_RSA, "client ID looks like" },
    { "123456", NULL, PEM_RSA, "Enter the installation ID" },
    { "123456", "", PEM_RSA, "Enter the installation ID" },
    { "123456", "0", PEM_RSA, "greater than zero" },
    { "123456", "abc", PEM_RSA, "greater than zero" },
    { "123456", "-5", PEM_RSA, "greater than zero" },
    { "123456", " 42", PEM_RSA, "greater than zero" },
    { "123456", "18446744073709551616", PEM_RSA, "greater than zero" },
    { "123456", "42", NULL, "GitHub's .pem file from the app's settings page" },
    { "123456", "42", "", "GitHub's .pem file from the app's settings page" },
    { "123456", "42", "not a key " MARK, "GitHub's .pem file from the app's settings page" },
    { "123456", "42", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAK" MARK "\n",
      "END line" },
    { "123456", "42",
      "-----END RSA PRIVATE KEY-----\n" MARK "\n-----BEGIN RSA PRIVATE KEY-----\n",
      "END line" },
    { "123456", "42", "-----BEGIN PUBLIC KEY-----\n" MARK "\n-----END PUBLIC KEY-----\n",
      "GitHub's .pem file from the app's settings page" },
    { "123456", "42",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" MARK "\n-----END ENCRYPTED PRIVATE KEY-----\n",
      "GitHub's .pem file from the app's settings page" },
    { "123456", "42", NULL /* huge_key */, "too large" },
  };

  /* A real block, buried in a paste far larger than any key. */
  {
    g_autofree char *padding = g_strnfill (70 * 1024, 'A');

    huge_key = g_strconcat (PEM_RSA, padding, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *private_key = cases[i].private_key;
      g_autoptr(DrCredential) credential = NULL;
      g_autoptr(GError) error = NULL;

      if (i == G_N_ELEMENTS (cases) - 1)
        private_key = huge_key;

      g_test_message ("app case %u", i);
      credential = dr_credential_new_app (cases[i].app_id, cases[i].installation_id,
                                          private_key);
      g_assert_false (dr_credential_validate (credential, DR_REPOSITORY_SCOPE_REPOSITORY,
                                              &error));
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].hint));
      assert_message_keeps_secrets (error, credential);
    }
}

static void
test_app_enterprise (void)
{
  g_autoptr(DrCredential) credential = dr_credential_new_app ("123456", "42", PEM_RSA);
  g_autoptr(GError) error = NULL;

  g_assert_false (dr_credential_validate (credential, DR_REPOSITORY_SCOPE_ENTERPRISE, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "enterprise"));
  g_assert_nonnull (strstr (error->message, "personal access token"));
  assert_message_keeps_secrets (error, credential);
}

static void
test_mixed_kinds (void)
{
  g_autoptr(DrCredential) pat = dr_credential_new_pat ("ghp_" MARK "2F292c6912E7710c838347A");
  g_autoptr(DrCredential) app = dr_credential_new_app ("123456", "42", PEM_RSA);
  g_autoptr(DrCredential) odd = dr_credential_new_pat ("ghp_" MARK "2F292c6912E7710c838347A");
  g_autoptr(GError) error = NULL;

  /* ARC rejects a Secret with both (FACTS.md §2.4); so do we, whichever kind is set. */
  pat->private_key = g_strdup (PEM_RSA);
  g_assert_false (dr_credential_validate (pat, DR_REPOSITORY_SCOPE_REPOSITORY, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_keeps_secrets (error, pat);
  g_clear_error (&error);

  app->token = g_strdup ("ghp_" MARK "2F292c6912E7710c838347A");
  g_assert_false (dr_credential_validate (app, DR_REPOSITORY_SCOPE_REPOSITORY, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_keeps_secrets (error, app);
  g_clear_error (&error);

  odd->kind = (DrCredentialKind) 42;
  g_assert_false (dr_credential_validate (odd, DR_REPOSITORY_SCOPE_REPOSITORY, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_keeps_secrets (error, odd);
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

static void
test_copy (void)
{
  g_autoptr(DrCredential) pat = dr_credential_new_pat ("ghp_16C7e42F292c6912E7710c838347Ae178B4a");
  g_autoptr(DrCredential) app = dr_credential_new_app ("Iv1.0123456789abcdef", "42", PEM_RSA);
  g_autoptr(DrCredential) pat_copy = dr_credential_copy (pat);
  g_autoptr(DrCredential) app_copy = dr_credential_copy (app);

  assert_credentials_equal (pat, pat_copy);
  assert_credentials_equal (app, app_copy);
  g_assert_true (pat->token != pat_copy->token);
  g_assert_true (app->private_key != app_copy->private_key);

  dr_credential_free (NULL);
}

static void
test_round_trip (void)
{
  /* Quotes, backslashes, control characters and non-ASCII must survive JSON escaping even
   * though validation would reject some of them. */
  g_autoptr(DrCredential) pat = dr_credential_new_pat ("ghp_\"quoted\"\\back\tslash\xc3\xa4");
  g_autoptr(DrCredential) app = dr_credential_new_app ("Iv23liAbCdEfGhIjKlMn", "98765432",
                                                       PEM_RSA);
  DrCredential *originals[] = { pat, app };

  for (guint i = 0; i < G_N_ELEMENTS (originals); i++)
    {
      g_autoptr(DrCredential) parsed = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      char *text = dr_credential_serialize (originals[i]);
      JsonObject *object;

      g_assert_nonnull (text);

      /* One JSON document with exactly the documented members. */
      g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));
      if (originals[i]->kind == DR_CREDENTIAL_KIND_PAT)
        {
          g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "pat");
          g_assert_cmpstr (json_object_get_string_member (object, "token"), ==,
                           originals[i]->token);
          g_assert_cmpuint (json_object_get_size (object), ==, 2);
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "github-app");
          g_assert_cmpstr (json_object_get_string_member (object, "app_id"), ==,
                           originals[i]->app_id);
          g_assert_cmpstr (json_object_get_string_member (object, "installation_id"), ==,
                           originals[i]->installation_id);
          g_assert_cmpstr (json_object_get_string_member (object, "private_key"), ==,
                           originals[i]->private_key);
          g_assert_cmpuint (json_object_get_size (object), ==, 4);
        }

      parsed = dr_credential_deserialize (text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      assert_credentials_equal (originals[i], parsed);

      dr_credential_secret_free (text);
    }
}

static void
test_deserialize_damaged (void)
{
  const char *documents[] = {
    "",
    "   ",
    "{",
    "null",
    "\"" MARK "\"",
    "[{\"kind\":\"pat\",\"token\":\"ghp_" MARK "\"}]",
    "{}",
    "{\"token\":\"ghp_" MARK "\"}",
    "{\"kind\":\"pat\"}",
    "{\"kind\":\"pat\",\"token\":\"\"}",
    "{\"kind\":\"pat\",\"token\":42}",
    "{\"kind\":\"pat\",\"token\":null}",
    "{\"kind\":\"pat\",\"token\":[\"ghp_" MARK "\"]}",
    "{\"kind\":\"pat\",\"token\":\"ghp_" MARK "\"",
    "{\"kind\":\"PAT\",\"token\":\"ghp_" MARK "\"}",
    "{\"kind\":\"password\",\"token\":\"ghp_" MARK "\"}",
    "{\"kind\":7,\"token\":\"ghp_" MARK "\"}",
    "{\"kind\":\"github-app\",\"app_id\":\"1\",\"installation_id\":\"2\"}",
    "{\"kind\":\"github-app\",\"app_id\":1,\"installation_id\":\"2\",\"private_key\":\"" MARK "\"}",
    "{\"kind\":\"github-app\",\"app_id\":\"1\",\"installation_id\":\"\",\"private_key\":\"" MARK
    "\"}",
    "{\"kind\":\"github-app\",\"token\":\"ghp_" MARK "\"}",
    "{\"kind\":\"pat\",\"token\":\"ghp_\xff" MARK "\"}",
    "kind=pat token=ghp_" MARK,
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(DrCredential) credential = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("document %u", i);
      credential = dr_credential_deserialize (documents[i], &error);
      g_assert_null (credential);
      g_assert_error (error, DR_ERROR, DR_ERROR_KEYRING);
      g_assert_nonnull (strstr (error->message, "damaged"));
      g_assert_null (strstr (error->message, MARK));
      g_assert_null (strstr (error->message, "ghp_"));
    }
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/credential/pat-valid", test_pat_valid);
  g_test_add_func ("/deskrun/credential/pat-invalid", test_pat_invalid);
  g_test_add_func ("/deskrun/credential/app-valid", test_app_valid);
  g_test_add_func ("/deskrun/credential/app-invalid", test_app_invalid);
  g_test_add_func ("/deskrun/credential/app-enterprise", test_app_enterprise);
  g_test_add_func ("/deskrun/credential/mixed-kinds", test_mixed_kinds);
  g_test_add_func ("/deskrun/credential/copy", test_copy);
  g_test_add_func ("/deskrun/credential/round-trip", test_round_trip);
  g_test_add_func ("/deskrun/credential/deserialize-damaged", test_deserialize_damaged);

  return g_test_run ();
}
