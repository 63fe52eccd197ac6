/* dr-credential.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dr-credential.h"
#include "dr-error.h"
#include "dr-json.h"

/* Bounds that catch a wrong paste (a whole file, half a token) without rejecting tokens of
 * formats we do not know: classic tokens are 40 characters, fine-grained ones 93, and GitHub
 * asks integrators to allow for longer ones. */
#define TOKEN_MIN_LENGTH        20
#define TOKEN_MAX_LENGTH        1024
#define APP_ID_MAX_LENGTH       64
#define PRIVATE_KEY_MAX_LENGTH  (64 * 1024)


static const struct
{
  const char *begin;
  const char *end;
} pem_blocks[] = {
  { "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----" },  /* PKCS#1, GitHub */
  { "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----" },          /* PKCS#8 */
};

static void
wipe (char *secret)
{
  /* explicit_bzero, unlike memset, may not be optimised away before the free. */
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
}

void
dr_credential_secret_free (char *secret)
{
  wipe (secret);
  g_free (secret);
}

DrCredential *
dr_credential_new_pat (const char *token)
{
  DrCredential *self = g_new0 (DrCredential, 1);

  self->kind = DR_CREDENTIAL_KIND_PAT;
  self->token = g_strdup (token);
  return self;
}

DrCredential *
dr_credential_new_app (const char *app_id,
                       const char *installation_id,
                       const char *private_key)
{
  DrCredential *self = g_new0 (DrCredential, 1);

  self->kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  self->app_id = g_strdup (app_id);
  self->installation_id = g_strdup (installation_id);
  self->private_key = g_strdup (private_key);
  return self;
}

DrCredential *
dr_credential_copy (const DrCredential *self)
{
  DrCredential *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DrCredential, 1);
  copy->kind = self->kind;
  copy->token = g_strdup (self->token);
  copy->app_id = g_strdup (self->app_id);
  copy->installation_id = g_strdup (self->installation_id);
  copy->private_key = g_strdup (self->private_key);
  return copy;
}

void
dr_credential_free (DrCredential *self)
{
  if (self == NULL)
    return;

  /* The ids are not secret, but wiping everything keeps the rule simple. */
  dr_credential_secret_free (self->token);
  dr_credential_secret_free (self->app_id);
  dr_credential_secret_free (self->installation_id);
  dr_credential_secret_free (self->private_key);
  explicit_bzero (self, sizeof *self);
  g_free (self);
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

static gboolean
is_decimal (const char *text)
{
  if (is_blank (text))
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* No message below quotes the value it checks: they are shown, logged and reported, and the
 * values are secrets or sit next to them. */

static gboolean
validate_pat (const DrCredential  *self,
              GError             **error)
{
  const char *token = self->token;
  gsize length;

  if (self->app_id != NULL || self->installation_id != NULL || self->private_key != NULL)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Use either a personal access token or a GitHub App, not both."));
      return FALSE;
    }

  if (is_blank (token))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Enter a personal access token."));
      return FALSE;
    }

  for (const char *p = token; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                               _("The token contains spaces or line breaks. Copy only the token "
                                 "itself, such as “ghp_…” or “github_pat_…”."));
          return FALSE;
        }
      /* Tokens go into an HTTP header: printable ASCII only. */
      if (!g_ascii_isgraph (*p))
        {
          g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                               _("The token contains characters a GitHub token never has. Copy "
                                 "it again from GitHub."));
          return FALSE;
        }
    }

  length = strlen (token);
  if (length < TOKEN_MIN_LENGTH)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The token is too short to be a GitHub token. Copy the whole token "
                             "from GitHub."));
      return FALSE;
    }
  if (length > TOKEN_MAX_LENGTH)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The token is too long to be a GitHub token. Paste only the token, "
                             "not a file or a list."));
      return FALSE;
    }

  /* Any other shape passes: GitHub Enterprise Server and older classic tokens (40 hex
   * digits) have no ghp_/github_pat_/gho_/ghu_/ghs_ prefix, and GitHub itself decides. */
  return TRUE;
}

static gboolean
is_valid_app_id (const char *app_id)
{
  gsize length = strlen (app_id);
  gboolean all_digits = TRUE;

  if (length > APP_ID_MAX_LENGTH)
    return FALSE;

  for (const char *p = app_id; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.')
        return FALSE;
      if (!g_ascii_isdigit (*p))
        all_digits = FALSE;
    }

  /* A numeric app id is never 0; a client id ("Iv1.…", "Iv23li…") has letters. */
  if (all_digits)
    return g_ascii_strtoull (app_id, NULL, 10) != 0;
  return TRUE;
}

static gboolean
is_valid_installation_id (const char *installation_id)
{
  guint64 value = 0;

  if (!is_decimal (installation_id))
    return FALSE;
  if (!g_ascii_string_to_unsigned (installation_id, 10, 1, G_MAXUINT64, &value, NULL))
    return FALSE;
  return TRUE;
}

static gboolean
validate_private_key (const char  *private_key,
                      GError     **error)
{
  gboolean found_begin = FALSE;

  if (is_blank (private_key))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Add the app's private key: GitHub's .pem file from the app's "
                             "settings page."));
      return FALSE;
    }

  if (strlen (private_key) > PRIVATE_KEY_MAX_LENGTH)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The private key is too large. Use GitHub's .pem file from the "
                             "app's settings page."));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (pem_blocks); i++)
    {
      const char *begin = strstr (private_key, pem_blocks[i].begin);

      if (begin == NULL)
        continue;
      found_begin = TRUE;
      if (strstr (begin + strlen (pem_blocks[i].begin), pem_blocks[i].end) != NULL)
        return TRUE;
    }

  if (found_begin)
    g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The private key is cut off: its END line is missing. Use the whole "
                           "of GitHub's .pem file from the app's settings page."));
  else
    g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The private key is not a PEM private key. Use GitHub's .pem file "
                           "from the app's settings page; it starts with “-----BEGIN RSA "
                           "PRIVATE KEY-----”."));
  return FALSE;
}

static gboolean
validate_app (const DrCredential  *self,
              DrRepositoryScope    scope,
              GError             **error)
{
  if (scope == DR_REPOSITORY_SCOPE_ENTERPRISE)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("GitHub Apps cannot register enterprise runners. For an enterprise, "
                             "use a classic personal access token with the "
                             "manage_runners:enterprise scope."));
      return FALSE;
    }

  if (self->token != NULL)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Use either a personal access token or a GitHub App, not both."));
      return FALSE;
    }

  if (is_blank (self->app_id))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Enter the GitHub App's app ID or client ID, both shown on the "
                             "app's settings page."));
      return FALSE;
    }
  if (!is_valid_app_id (self->app_id))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The app ID is a number such as 123456, and the client ID looks "
                             "like “Iv1.…” or “Iv23…”. Copy one of them from the app's "
                             "settings page."));
      return FALSE;
    }

  if (is_blank (self->installation_id))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Enter the installation ID: the number at the end of the "
                             "installation's address (…/settings/installations/NUMBER)."));
      return FALSE;
    }
  if (!is_valid_installation_id (self->installation_id))
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The installation ID is a number greater than zero: the number at "
                             "the end of the installation's address "
                             "(…/settings/installations/NUMBER)."));
      return FALSE;
    }

  return validate_private_key (self->private_key, error);
}

gboolean
dr_credential_validate (const DrCredential  *self,
                        DrRepositoryScope    scope,
                        GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (self->kind)
    {
    case DR_CREDENTIAL_KIND_PAT:
      return validate_pat (self, error);

    case DR_CREDENTIAL_KIND_GITHUB_APP:
      return validate_app (self, scope, error);

    default:
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("Choose a personal access token or a GitHub App."));
      return FALSE;
    }
}

/* json-glib keeps its own copies of every string; overwrite the ones in the tree before it is
 * freed. Copies json-glib makes while scanning or escaping are out of reach. */
static void
wipe_object_strings (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        wipe ((char *) json_node_get_string (node));
    }
}

static void
set_string (JsonObject *object,
            const char *name,
            const char *value)
{
  json_object_set_string_member (object, name, value != NULL ? value : "");
}

char *
dr_credential_serialize (const DrCredential *self)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();
  switch (self->kind)
    {
    case DR_CREDENTIAL_KIND_PAT:
      set_string (object, "kind", dr_credential_kind_to_string (DR_CREDENTIAL_KIND_PAT));
      set_string (object, "token", self->token);
      break;

    case DR_CREDENTIAL_KIND_GITHUB_APP:
      set_string (object, "kind", dr_credential_kind_to_string (DR_CREDENTIAL_KIND_GITHUB_APP));
      set_string (object, "app_id", self->app_id);
      set_string (object, "installation_id", self->installation_id);
      set_string (object, "private_key", self->private_key);
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, object);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  /* The root and the generator's copy of it share this one object. */
  wipe_object_strings (object);
  return text;
}

static gboolean
get_string_member (JsonObject  *object,
                   const char  *name,
                   const char **out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *out_value = json_node_get_string (node);
  return !is_blank (*out_value);
}

static DrCredential *
credential_from_object (JsonObject *object)
{
  const char *kind = NULL;
  const char *token = NULL;
  const char *app_id = NULL;
  const char *installation_id = NULL;
  const char *private_key = NULL;

  if (!get_string_member (object, "kind", &kind))
    return NULL;

  if (g_str_equal (kind, dr_credential_kind_to_string (DR_CREDENTIAL_KIND_PAT)))
    {
      if (!get_string_member (object, "token", &token))
        return NULL;
      return dr_credential_new_pat (token);
    }

  if (g_str_equal (kind, dr_credential_kind_to_string (DR_CREDENTIAL_KIND_GITHUB_APP)))
    {
      if (!get_string_member (object, "app_id", &app_id) ||
          !get_string_member (object, "installation_id", &installation_id) ||
          !get_string_member (object, "private_key", &private_key))
        return NULL;
      return dr_credential_new_app (app_id, installation_id, private_key);
    }

  return NULL;
}

DrCredential *
dr_credential_deserialize (const char  *text,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  DrCredential *self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* json-glib's own parse errors quote the input, which is a secret: they are dropped. */
  if (text != NULL && (root = dr_json_parse_data (text, -1, NULL)) != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (root))
        {
          self = credential_from_object (json_node_get_object (root));
          wipe_object_strings (json_node_get_object (root));
        }
    }

  if (self == NULL)
    g_set_error_literal (error, DR_ERROR, DR_ERROR_KEYRING,
                         _("The keyring entry for these GitHub credentials is damaged. Remove "
                           "the credentials and add them again."));
  return self;
}
