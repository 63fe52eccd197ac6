/* dr-github-auth.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dr-error.h"
#include "dr-github-auth.h"
#include "dr-github-private.h"
#include "dr-json.h"

struct _DrGithubAuth
{
  GObject       parent_instance;

  DrCredential *credential;
  char         *owner;
  char         *repo;
  gint64        installation_id;     /* 0 until known */

  /* GitHub App: the installation token and when it stops being used. */
  char         *token;               /* wiped when replaced */
  gint64        token_use_until;     /* unix time: expires_at minus the margin */
  JsonObject   *token_permissions;

  /* Requests waiting for the token being fetched; only one fetch runs at a time. */
  GPtrArray    *waiters;             /* GTask */
  gboolean      fetching;
};

G_DEFINE_FINAL_TYPE (DrGithubAuth, dr_github_auth, G_TYPE_OBJECT)

static void
dr_github_auth_finalize (GObject *object)
{
  DrGithubAuth *self = DR_GITHUB_AUTH (object);

  g_clear_pointer (&self->credential, dr_credential_free);
  g_free (self->owner);
  g_free (self->repo);
  g_clear_pointer (&self->token, dr_credential_secret_free);
  g_clear_pointer (&self->token_permissions, json_object_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (dr_github_auth_parent_class)->finalize (object);
}

static void
dr_github_auth_class_init (DrGithubAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dr_github_auth_finalize;
}

static void
dr_github_auth_init (DrGithubAuth *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

DrGithubAuth *
dr_github_auth_new (const DrCredential *credential)
{
  DrGithubAuth *self;
  guint64 id = 0;

  g_return_val_if_fail (credential != NULL, NULL);

  self = g_object_new (DR_TYPE_GITHUB_AUTH, NULL);
  self->credential = dr_credential_copy (credential);
  if (credential->kind == DR_CREDENTIAL_KIND_GITHUB_APP &&
      credential->installation_id != NULL && *credential->installation_id != '\0' &&
      g_ascii_string_to_unsigned (credential->installation_id, 10, 1, G_MAXINT64, &id, NULL))
    self->installation_id = (gint64) id;
  return self;
}

DrCredentialKind
dr_github_auth_get_kind (DrGithubAuth *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_AUTH (self), DR_CREDENTIAL_KIND_PAT);

  return self->credential->kind;
}

void
dr_github_auth_set_target (DrGithubAuth *self,
                           const char   *owner,
                           const char   *repo)
{
  g_return_if_fail (DR_IS_GITHUB_AUTH (self));

  g_free (self->owner);
  g_free (self->repo);
  self->owner = g_strdup (owner);
  self->repo = g_strdup (repo);
}

gint64
dr_github_auth_get_installation_id (DrGithubAuth *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_AUTH (self), 0);

  return self->installation_id;
}

JsonObject *
dr_github_auth_get_token_permissions (DrGithubAuth *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_AUTH (self), NULL);

  return self->token_permissions;
}

/* ---- the JWT ---------------------------------------------------------------------------- */

static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  gsize end = strlen (text);

  while (end > 0 && text[end - 1] == '=')
    text[--end] = '\0';
  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return text;
}

static gboolean
all_digits (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 18)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
dr_github_app_jwt_new (const char  *app_id,
                       const char  *private_key_pem,
                       gint64       now_unix,
                       GError     **error)
{
  static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) claims = NULL;
  g_autofree char *claims_text = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *claims_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature_b64 = NULL;
  gnutls_privkey_t key = NULL;
  gnutls_datum_t pem;
  gnutls_datum_t data;
  gnutls_datum_t signature = { NULL, 0 };
  int ret;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (app_id == NULL || *app_id == '\0' || private_key_pem == NULL || *private_key_pem == '\0')
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The GitHub App credential needs its app id (or client id) and "
                             "its private key"));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, now_unix - DR_GITHUB_JWT_BACKDATE_SECONDS);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, now_unix + DR_GITHUB_JWT_LIFETIME_SECONDS);
  json_builder_set_member_name (builder, "iss");
  /* A numeric App id goes as a number, a client id ("Iv1.…") as a string; GitHub takes
   * both (FACTS.md §6.2). */
  if (all_digits (app_id))
    json_builder_add_int_value (builder, g_ascii_strtoll (app_id, NULL, 10));
  else
    json_builder_add_string_value (builder, app_id);
  json_builder_end_object (builder);
  claims = json_builder_get_root (builder);
  claims_text = json_to_string (claims, FALSE);

  header_b64 = base64url ((const guchar *) header, strlen (header));
  claims_b64 = base64url ((const guchar *) claims_text, strlen (claims_text));
  signing_input = g_strconcat (header_b64, ".", claims_b64, NULL);

  ret = gnutls_privkey_init (&key);
  if (ret < 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_FAILED, _("GnuTLS failed: %s"),
                   gnutls_strerror (ret));
      return NULL;
    }
  pem.data = (unsigned char *) private_key_pem;
  pem.size = strlen (private_key_pem);
  /* Takes PKCS#1 ("RSA PRIVATE KEY", what GitHub hands out) and PKCS#8 ("PRIVATE KEY"). */
  ret = gnutls_privkey_import_x509_raw (key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret < 0)
    {
      gnutls_privkey_deinit (key);
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The GitHub App’s private key cannot be read (%s): paste the whole .pem "
                     "file GitHub generated, from “-----BEGIN” to the last line"),
                   gnutls_strerror (ret));
      return NULL;
    }
  if (gnutls_privkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_RSA)
    {
      gnutls_privkey_deinit (key);
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The GitHub App’s private key is not an RSA key; GitHub signs App "
                             "tokens with RS256 and generates RSA keys"));
      return NULL;
    }

  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &data, &signature);
  gnutls_privkey_deinit (key);
  if (ret < 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_FAILED,
                   _("Could not sign the GitHub App token: %s"), gnutls_strerror (ret));
      return NULL;
    }

  signature_b64 = base64url (signature.data, signature.size);
  gnutls_free (signature.data);

  return g_strconcat (signing_input, ".", signature_b64, NULL);
}

typedef struct
{
  char   *app_id;
  char   *private_key;
  gint64  now;
} JwtJob;

static void
jwt_job_free (gpointer data)
{
  JwtJob *job = data;

  g_free (job->app_id);
  dr_credential_secret_free (job->private_key);
  g_free (job);
}

static void
jwt_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JwtJob *job = task_data;
  GError *error = NULL;
  char *jwt = dr_github_app_jwt_new (job->app_id, job->private_key, job->now, &error);

  if (jwt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, jwt, (GDestroyNotify) dr_credential_secret_free);
}

/* ---- fetching an installation token ----------------------------------------------------- */

typedef struct
{
  DrGithubAuth   *auth;     /* holds a reference on it while the fetch runs */
  DrGithubClient *client;
  char           *jwt;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->client);
  g_clear_pointer (&fetch->jwt, dr_credential_secret_free);
  g_free (fetch);
}

static void
fetch_complete (DrGithubAuth *self,
                Fetch        *fetch,
                GError       *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->fetching = FALSE;
  fetch_free (fetch);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (self->token),
                               (GDestroyNotify) dr_credential_secret_free);
    }
  g_clear_error (&error);
  g_object_unref (self);
}

static void
access_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  DrGithubAuth *self = fetch->auth;
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;
  const char *token;
  const char *expires_at;
  JsonObject *permissions;
  gint64 expires = 0;

  reply = _dr_github_client_send_bearer_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (reply == NULL)
    {
      g_prefix_error (&error, _("Could not get a token for the GitHub App installation: "));
      fetch_complete (self, fetch, error);
      return;
    }

  token = dr_json_get_string (reply, "token", NULL);
  if (token == NULL || *token == '\0')
    {
      fetch_complete (self, fetch,
                      g_error_new_literal (DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                           _("GitHub answered the installation token request "
                                             "without a token")));
      return;
    }
  expires_at = dr_json_get_string (reply, "expires_at", NULL);
  if (expires_at != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (expires_at, NULL);

      if (when != NULL)
        expires = g_date_time_to_unix (when);
    }
  /* Installation tokens live one hour; without a readable expiry assume that. */
  if (expires == 0)
    expires = g_get_real_time () / G_USEC_PER_SEC + 3600;

  g_clear_pointer (&self->token, dr_credential_secret_free);
  self->token = g_strdup (token);
  self->token_use_until = expires - DR_GITHUB_TOKEN_REFRESH_MARGIN_SECONDS;
  g_clear_pointer (&self->token_permissions, json_object_unref);
  permissions = dr_json_get_object (reply, "permissions", NULL);
  if (permissions != NULL)
    self->token_permissions = json_object_ref (permissions);

  /* The reply holds the token: wipe it from the parsed document as well. */
  {
    JsonObject *reply_object = dr_json_node_object (reply);
    JsonNode *member = reply_object != NULL ? json_object_get_member (reply_object, "token")
                                            : NULL;

    if (member != NULL)
      {
        char *text = (char *) json_node_get_string (member);

        if (text != NULL)
          memset (text, 0, strlen (text));
      }
  }

  fetch_complete (self, fetch, NULL);
}

static void
request_access_token (DrGithubAuth *self,
                      Fetch        *fetch)
{
  g_autofree char *path = g_strdup_printf ("/app/installations/%" G_GINT64_FORMAT
                                           "/access_tokens", self->installation_id);

  _dr_github_client_send_bearer_async (fetch->client, SOUP_METHOD_POST, path, fetch->jwt, NULL,
                                       NULL, access_token_cb, fetch);
}

static void
installation_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  DrGithubAuth *self = fetch->auth;
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;
  gint64 id;

  reply = _dr_github_client_send_bearer_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
        {
          GError *better = g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                        _("The GitHub App is not installed on %s%s%s: install "
                                          "it there (the App’s settings, “Install App”), or "
                                          "give the installation id"),
                                        self->owner, self->repo != NULL ? "/" : "",
                                        self->repo != NULL ? self->repo : "");
          g_error_free (error);
          error = better;
        }
      else
        g_prefix_error (&error, _("Could not find the GitHub App’s installation: "));
      fetch_complete (self, fetch, error);
      return;
    }

  /* /app/installations answers an array; the repository and organisation lookups one
   * installation. */
  if (JSON_NODE_HOLDS_ARRAY (reply))
    {
      JsonArray *list = json_node_get_array (reply);

      if (json_array_get_length (list) != 1)
        {
          fetch_complete (self, fetch,
                          g_error_new (DR_ERROR, DR_ERROR_INVALID,
                                       _("The GitHub App has %u installations; give the "
                                         "installation id of the one to use"),
                                       json_array_get_length (list)));
          return;
        }
      id = dr_json_get_int (json_array_get_element (list, 0), 0, "id", NULL);
    }
  else
    id = dr_json_get_int (reply, 0, "id", NULL);

  if (id <= 0)
    {
      fetch_complete (self, fetch,
                      g_error_new_literal (DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                           _("GitHub described the App’s installation without "
                                             "an id")));
      return;
    }
  self->installation_id = id;
  request_access_token (self, fetch);
}

static void
jwt_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fetch *fetch = user_data;
  DrGithubAuth *self = fetch->auth;
  GError *error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;

  fetch->jwt = g_task_propagate_pointer (G_TASK (result), &error);
  if (fetch->jwt == NULL)
    {
      fetch_complete (self, fetch, error);
      return;
    }

  if (self->installation_id > 0)
    {
      request_access_token (self, fetch);
      return;
    }

  if (self->owner != NULL)
    owner = g_uri_escape_string (self->owner, NULL, FALSE);
  if (self->repo != NULL)
    repo = g_uri_escape_string (self->repo, NULL, FALSE);
  if (owner != NULL && repo != NULL)
    path = g_strdup_printf ("/repos/%s/%s/installation", owner, repo);
  else if (owner != NULL)
    path = g_strdup_printf ("/orgs/%s/installation", owner);
  else
    path = g_strdup ("/app/installations");

  _dr_github_client_send_bearer_async (fetch->client, SOUP_METHOD_GET, path, fetch->jwt, NULL,
                                       NULL, installation_cb, fetch);
}

void
_dr_github_auth_get_token_async (DrGithubAuth        *self,
                                 DrGithubClient      *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) jwt_task = NULL;
  JwtJob *job;
  Fetch *fetch;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (DR_IS_GITHUB_AUTH (self));
  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _dr_github_auth_get_token_async);

  if (self->credential->kind == DR_CREDENTIAL_KIND_PAT)
    {
      if (self->credential->token == NULL || *self->credential->token == '\0')
        g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                                 _("The credential holds no token"));
      else
        g_task_return_pointer (task, g_strdup (self->credential->token),
                               (GDestroyNotify) dr_credential_secret_free);
      return;
    }

  if (self->token != NULL && now < self->token_use_until)
    {
      g_task_return_pointer (task, g_strdup (self->token),
                             (GDestroyNotify) dr_credential_secret_free);
      return;
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (self->fetching)
    return;

  /* The one fetch holds a reference on us until it completes (fetch_complete). */
  self->fetching = TRUE;
  g_object_ref (self);
  fetch = g_new0 (Fetch, 1);
  fetch->auth = self;
  fetch->client = g_object_ref (client);

  job = g_new0 (JwtJob, 1);
  job->app_id = g_strdup (self->credential->app_id);
  job->private_key = g_strdup (self->credential->private_key);
  job->now = now;
  /* RSA signing is CPU work: not on the main loop (DESIGN.md). */
  /* No source object: the worker thread may hold the task a moment after it returned, and
   * must not keep us alive with it. */
  jwt_task = g_task_new (NULL, NULL, jwt_cb, fetch);
  g_task_set_source_tag (jwt_task, jwt_thread);
  g_task_set_task_data (jwt_task, job, jwt_job_free);
  g_task_run_in_thread (jwt_task, jwt_thread);
}

char *
_dr_github_auth_get_token_finish (DrGithubAuth  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_dr_github_auth_can_refresh (DrGithubAuth *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_AUTH (self), FALSE);

  return self->credential->kind == DR_CREDENTIAL_KIND_GITHUB_APP;
}

gboolean
_dr_github_auth_invalidate (DrGithubAuth *self,
                            const char   *token)
{
  g_return_val_if_fail (DR_IS_GITHUB_AUTH (self), FALSE);

  if (self->credential->kind != DR_CREDENTIAL_KIND_GITHUB_APP)
    return FALSE;
  if (self->token != NULL && token != NULL && strcmp (self->token, token) == 0)
    {
      g_clear_pointer (&self->token, dr_credential_secret_free);
      self->token_use_until = 0;
    }
  return TRUE;
}
