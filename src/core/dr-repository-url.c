/* dr-repository-url.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dr-error.h"
#include "dr-repository-url.h"

/* GitHub user and organization names; enterprise slugs follow the same rule. */
static gboolean
is_owner_name (const char *text)
{
  if (text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

static gboolean
is_repository_name (const char *text)
{
  if (text[0] == '\0' || strcmp (text, ".") == 0 || strcmp (text, "..") == 0
      || strcmp (text, ".git") == 0)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

/* IPv6 literals keep their ":" (GUri has already removed the brackets). */
static gboolean
is_host_name (const char *text)
{
  if (text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != ':')
      return FALSE;

  return TRUE;
}

static void
strip_trailing_slashes (char *path)
{
  gsize len = strlen (path);

  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
}

/* What the user probably meant when they typed something that is not a URL at all: an SSH
 * remote, "github.com/owner/repo" or just "owner/repo". */
static char *
suggest_https_url (const char *text)
{
  g_autofree char *rest = NULL;
  gsize len;

  if (g_str_has_prefix (text, "git@") && strchr (text, ':') != NULL)
    {
      const char *colon = strchr (text, ':');
      g_autofree char *host = g_strndup (text + 4, colon - (text + 4));

      rest = g_strdup_printf ("%s/%s", host, colon + 1);
    }
  else
    {
      const char *slash = strchr (text, '/');
      g_autofree char *first = slash != NULL ? g_strndup (text, slash - text) : g_strdup (text);

      /* A first part with a dot is a host name; owners cannot contain dots. */
      if (strchr (first, '.') != NULL)
        rest = g_strdup (text);
      else
        rest = g_strdup_printf ("github.com/%s", text);
    }

  strip_trailing_slashes (rest);
  len = strlen (rest);
  if (g_str_has_suffix (rest, ".git"))
    rest[len - 4] = '\0';

  return g_strdup_printf ("https://%s", rest);
}

/* Messages repeat no part of a URL that may carry a token (user info); they may show the
 * owner and repository parts, which help the user find the mistake. */
char *
dr_normalize_repository_url (const char         *url,
                             DrRepositoryScope  *out_scope,
                             GError            **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  g_autofree char *host_port = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) segments = NULL;
  const char *scheme;
  const char *uri_host;
  const char *relative;
  DrRepositoryScope scope;
  guint n_segments;
  int port;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (text[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL is empty. Enter the address of a repository, for "
                     "example https://github.com/owner/repo."));
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL is not valid UTF-8 text. Enter an address such as "
                     "https://github.com/owner/repo."));
      return NULL;
    }

  if (strstr (text, "://") == NULL)
    {
      g_autofree char *suggestion = NULL;

      /* "@" outside an SSH remote is most likely a token: say nothing that repeats it. */
      if (strchr (text, '@') != NULL && !g_str_has_prefix (text, "git@"))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The repository URL is not a full URL. Enter the https address, for "
                         "example https://github.com/owner/repo."));
          return NULL;
        }

      suggestion = suggest_https_url (text);

      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is not a full URL. Enter the https address, for example “%s”."),
                   text, suggestion);
      return NULL;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL cannot be understood. Enter an address such as "
                     "https://github.com/owner/repo."));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL starts with http://, but GitHub requires a secure "
                     "connection. Use https:// instead."));
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL must start with https://, for example "
                     "https://github.com/owner/repo."));
      return NULL;
    }

  uri_host = g_uri_get_host (uri);
  if (uri_host == NULL || uri_host[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL has no host name. Enter an address such as "
                     "https://github.com/owner/repo."));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL contains a user name or token before the host name. "
                     "Remove it: credentials are entered and stored separately."));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL contains a query (a part after “?”). Use the plain "
                     "address of the repository, organization or enterprise."));
      return NULL;
    }

  if (g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL contains a fragment (a part after “#”). Use the plain "
                     "address of the repository, organization or enterprise."));
      return NULL;
    }

  if (!is_host_name (uri_host))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is not a valid host name. Use github.com or the host name of your "
                     "GitHub Enterprise Server."),
                   uri_host);
      return NULL;
    }

  host = g_ascii_strdown (uri_host, -1);
  port = g_uri_get_port (uri);
  if (strchr (host, ':') != NULL)
    host_port = g_strdup_printf ("[%s]", host);
  else
    host_port = g_strdup (host);
  if (port > 0 && port != 443)
    {
      char *with_port = g_strdup_printf ("%s:%d", host_port, port);

      g_free (host_port);
      host_port = with_port;
    }

  /* GitHub does not allow repository names ending in ".git", so every such suffix is one
   * a clone URL added; removing all of them keeps normalizing idempotent. */
  path = g_strdup (g_uri_get_path (uri));
  strip_trailing_slashes (path);
  while (g_str_has_suffix (path, ".git") && strlen (path) > 4 && path[strlen (path) - 5] != '/')
    {
      path[strlen (path) - 4] = '\0';
      strip_trailing_slashes (path);
    }

  /* Only the one slash after the host: "https://host//repo" has an empty owner. */
  relative = path[0] == '/' ? path + 1 : path;

  if (relative[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The repository URL names no repository or organization. Use "
                     "https://%s/OWNER/REPO for a repository or https://%s/ORG for an "
                     "organization."),
                   host_port, host_port);
      return NULL;
    }

  segments = g_strsplit (relative, "/", -1);
  n_segments = g_strv_length (segments);
  for (guint i = 0; i < n_segments; i++)
    if (segments[i][0] == '\0')
      {
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The path of the repository URL contains an empty part (“//”). Use "
                       "https://%s/OWNER/REPO or https://%s/ORG."),
                     host_port, host_port);
        return NULL;
      }

  if (n_segments > 2)
    {
      g_autofree char *suggestion = g_strdup_printf ("https://%s/%s/%s", host_port,
                                                     segments[0], segments[1]);

      if (g_ascii_strcasecmp (segments[0], "enterprises") == 0)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The URL points to a page inside an enterprise. Use the enterprise "
                       "URL “%s”."),
                     suggestion);
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The URL points to a page inside a repository. Use the repository "
                       "URL “%s”."),
                     suggestion);
      return NULL;
    }

  if (g_ascii_strcasecmp (segments[0], "enterprises") == 0)
    {
      if (n_segments == 1)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The repository URL names no enterprise. Use "
                         "https://%s/enterprises/NAME."),
                       host_port);
          return NULL;
        }
      if (!is_owner_name (segments[1]))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("“%s” is not a valid enterprise name. Enterprise names use only "
                         "letters, digits and “-”."),
                       segments[1]);
          return NULL;
        }

      /* One spelling, so two URLs for the same enterprise compare equal. */
      g_free (segments[0]);
      segments[0] = g_strdup ("enterprises");
      scope = DR_REPOSITORY_SCOPE_ENTERPRISE;
    }
  else
    {
      /* A copied organization page, https://github.com/orgs/NAME, is a common mistake. */
      if (n_segments == 2 && strcmp (segments[0], "orgs") == 0 && is_owner_name (segments[1]))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("This is the URL of an organization's page. For runners of the "
                         "organization use “https://%s/%s”."),
                       host_port, segments[1]);
          return NULL;
        }

      if (!is_owner_name (segments[0]))
        {
          if (n_segments == 1)
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("“%s” is not a valid organization name. GitHub organization names "
                           "use only letters, digits and “-”."),
                         segments[0]);
          else
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("“%s” is not a valid owner name. GitHub user and organization names "
                           "use only letters, digits and “-”."),
                         segments[0]);
          return NULL;
        }

      if (n_segments == 2 && !is_repository_name (segments[1]))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("“%s” is not a valid repository name. GitHub repository names use "
                         "only letters, digits, “-”, “_” and “.”."),
                       segments[1]);
          return NULL;
        }

      scope = n_segments == 2 ? DR_REPOSITORY_SCOPE_REPOSITORY
                              : DR_REPOSITORY_SCOPE_ORGANIZATION;
    }

  if (out_scope != NULL)
    *out_scope = scope;

  if (n_segments == 2)
    return g_strdup_printf ("https://%s/%s/%s", host_port, segments[0], segments[1]);
  return g_strdup_printf ("https://%s/%s", host_port, segments[0]);
}

