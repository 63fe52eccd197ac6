/* dr-github-api.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each endpoint is a path and a shape of reply over the client's GET, list and send calls.
 * The task of every call here has the client as source object and one of the small
 * "Shape" values below as its task data, so one set of callbacks serves them all.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dr-error.h"
#include "dr-github-api.h"
#include "dr-json.h"

static char *
esc (const char *segment)
{
  return g_uri_escape_string (segment != NULL ? segment : "", NULL, FALSE);
}

/* "/repos/OWNER/REPO" + @rest (printf). */
G_GNUC_PRINTF (3, 4)
static char *
repo_path (const char *owner,
           const char *repo,
           const char *rest_format,
           ...)
{
  g_autofree char *o = esc (owner);
  g_autofree char *r = esc (repo);
  g_autofree char *rest = NULL;
  va_list args;

  va_start (args, rest_format);
  rest = g_strdup_vprintf (rest_format, args);
  va_end (args);
  return g_strdup_printf ("/repos/%s/%s%s", o, r, rest);
}

static void
query_add (GString    *query,
           const char *key,
           const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_c (query, query->len == 0 ? '?' : '&');
  g_string_append (query, key);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

/* ---- shared callbacks ------------------------------------------------------------------- */

static void
object_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *reply;

  node = dr_github_client_get_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  reply = dr_json_node_object (node);
  if (reply == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub sent a reply that is not a JSON object"));
      return;
    }
  g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

static void
array_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JsonArray *array;
  GError *error = NULL;

  array = dr_github_client_get_all_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (array == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, array, (GDestroyNotify) json_array_unref);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = dr_github_client_send_finish (DR_GITHUB_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
send_object_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *reply;

  node = dr_github_client_send_finish (DR_GITHUB_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  reply = dr_json_node_object (node);
  if (reply == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub sent a reply that is not a JSON object"));
      return;
    }
  g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
}

static GTask *
api_task (DrGithubClient      *client,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static void
get_object (DrGithubClient      *client,
            gpointer             source_tag,
            const char          *path,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = api_task (client, source_tag, cancellable, callback, user_data);

  dr_github_client_get_async (client, path, cancellable, object_cb, task);
}

static void
get_array (DrGithubClient      *client,
           gpointer             source_tag,
           const char          *path,
           const char          *member,
           guint                max_items,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = api_task (client, source_tag, cancellable, callback, user_data);

  dr_github_client_get_all_async (client, path, member, max_items, cancellable, array_cb, task);
}

static void
send_done (DrGithubClient      *client,
           gpointer             source_tag,
           const char          *method,
           const char          *path,
           JsonNode            *body,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = api_task (client, source_tag, cancellable, callback, user_data);

  dr_github_client_send_async (client, method, path, body, cancellable, done_cb, task);
}

static gpointer
finish_pointer (DrGithubClient  *client,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (DrGithubClient  *client,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- runs and jobs ---------------------------------------------------------------------- */

static void
runs_after_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDateTime *after = g_task_get_task_data (task);
  g_autoptr(JsonArray) runs = NULL;
  JsonArray *kept;
  GError *error = NULL;

  runs = dr_github_client_get_all_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (runs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonNode *run = json_array_get_element (runs, i);
      const char *created = dr_json_get_string (run, "created_at", NULL);
      g_autoptr(GDateTime) when = created != NULL ? g_date_time_new_from_iso8601 (created, NULL)
                                                  : NULL;

      if (when != NULL && g_date_time_compare (when, after) >= 0)
        json_array_add_element (kept, json_node_copy (run));
    }
  g_task_return_pointer (task, kept, (GDestroyNotify) json_array_unref);
}

void
dr_github_api_list_runs_async (DrGithubClient          *client,
                               const char              *owner,
                               const char              *repo,
                               const DrGithubRunFilter *filter,
                               guint                    max_runs,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));

  if (filter != NULL && filter->workflow != NULL && *filter->workflow != '\0')
    {
      g_autofree char *workflow = esc (filter->workflow);

      base = repo_path (owner, repo, "/actions/workflows/%s/runs", workflow);
    }
  else
    base = repo_path (owner, repo, "/actions/runs");

  if (filter != NULL)
    {
      query_add (query, "status", filter->status);
      query_add (query, "event", filter->event);
      query_add (query, "branch", filter->branch);
      query_add (query, "head_sha", filter->head_sha);
    }
  path = g_strconcat (base, query->str, NULL);

  /* GitHub takes created=>=TIME (search syntax), but its OpenAPI description says the
   * parameter is a plain date-time, and Prism holds us to that. Runs come newest first, so
   * the cut is made here instead, on created_at. */
  if (filter != NULL && filter->created_after != NULL && *filter->created_after != '\0')
    {
      GDateTime *after = g_date_time_new_from_iso8601 (filter->created_after, NULL);
      GTask *task;

      if (after == NULL)
        {
          task = api_task (client, dr_github_api_list_runs_async, cancellable, callback,
                           user_data);
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                                   _("“%s” is not an ISO 8601 time"), filter->created_after);
          g_object_unref (task);
          return;
        }
      task = api_task (client, dr_github_api_list_runs_async, cancellable, callback, user_data);
      g_task_set_task_data (task, after, (GDestroyNotify) g_date_time_unref);
      dr_github_client_get_all_async (client, path, "workflow_runs", max_runs, cancellable,
                                      runs_after_cb, task);
      return;
    }
  get_array (client, dr_github_api_list_runs_async, path, "workflow_runs", max_runs,
             cancellable, callback, user_data);
}

JsonArray *
dr_github_api_list_runs_finish (DrGithubClient  *client,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_runs_async, error);
}

void
dr_github_api_get_run_async (DrGithubClient      *client,
                             const char          *owner,
                             const char          *repo,
                             gint64               run_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/actions/runs/%" G_GINT64_FORMAT, run_id);

  get_object (client, dr_github_api_get_run_async, path, cancellable, callback, user_data);
}

JsonObject *
dr_github_api_get_run_finish (DrGithubClient  *client,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_pointer (client, result, dr_github_api_get_run_async, error);
}

void
dr_github_api_list_jobs_async (DrGithubClient      *client,
                               const char          *owner,
                               const char          *repo,
                               gint64               run_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo,
                                     "/actions/runs/%" G_GINT64_FORMAT "/jobs?filter=latest",
                                     run_id);

  get_array (client, dr_github_api_list_jobs_async, path, "jobs", 0, cancellable, callback,
             user_data);
}

JsonArray *
dr_github_api_list_jobs_finish (DrGithubClient  *client,
                                GAsyncResult    *result,
                                GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_jobs_async, error);
}

void
dr_github_api_get_job_async (DrGithubClient      *client,
                             const char          *owner,
                             const char          *repo,
                             gint64               job_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/actions/jobs/%" G_GINT64_FORMAT, job_id);

  get_object (client, dr_github_api_get_job_async, path, cancellable, callback, user_data);
}

JsonObject *
dr_github_api_get_job_finish (DrGithubClient  *client,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_pointer (client, result, dr_github_api_get_job_async, error);
}

void
dr_github_api_list_workflows_async (DrGithubClient      *client,
                                    const char          *owner,
                                    const char          *repo,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/actions/workflows");

  get_array (client, dr_github_api_list_workflows_async, path, "workflows", 0, cancellable,
             callback, user_data);
}

JsonArray *
dr_github_api_list_workflows_finish (DrGithubClient  *client,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_workflows_async, error);
}

/* ---- contents and refs ------------------------------------------------------------------ */

static char *
contents_path (const char *owner,
               const char *repo,
               const char *path)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

  while (*escaped == '/')
    memmove (escaped, escaped + 1, strlen (escaped));
  return repo_path (owner, repo, "/contents/%s", escaped);
}

typedef struct
{
  GBytes *content;
  char   *sha;
} Contents;

static void
contents_free (gpointer data)
{
  Contents *contents = data;

  g_clear_pointer (&contents->content, g_bytes_unref);
  g_free (contents->sha);
  g_free (contents);
}

static void
get_contents_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *type;
  const char *encoding;
  const char *content;
  const char *sha;
  Contents *contents;
  g_autofree char *clean = NULL;
  guchar *decoded;
  gsize length = 0;
  gsize j = 0;

  node = dr_github_client_get_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  type = dr_json_get_string (node, "type", NULL);
  if (JSON_NODE_HOLDS_ARRAY (node) || (type != NULL && strcmp (type, "file") != 0))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub describes that path as a %s, not a file"),
                               type != NULL ? type : "folder");
      return;
    }
  encoding = dr_json_get_string (node, "encoding", NULL);
  content = dr_json_get_string (node, "content", NULL);
  sha = dr_json_get_string (node, "sha", NULL);
  if (content == NULL || (encoding != NULL && strcmp (encoding, "base64") != 0))
    {
      /* Files over 1 MB come with encoding "none" and no content. */
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub did not send the file’s content (encoding “%s”); it "
                                 "may be too large for the contents API"),
                               encoding != NULL ? encoding : "?");
      return;
    }

  /* GitHub wraps the base64 text at 60 columns; g_base64_decode wants it without the
   * newlines, and must not see anything but the alphabet. */
  clean = g_malloc (strlen (content) + 1);
  for (const char *p = content; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == ' ')
        continue;
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        {
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("GitHub sent a file whose content is not base64"));
          return;
        }
      clean[j++] = *p;
    }
  clean[j] = '\0';
  decoded = g_base64_decode (clean, &length);

  contents = g_new0 (Contents, 1);
  contents->content = g_bytes_new_take (decoded, length);
  contents->sha = g_strdup (sha);
  g_task_return_pointer (task, contents, contents_free);
}

void
dr_github_api_get_contents_async (DrGithubClient      *client,
                                  const char          *owner,
                                  const char          *repo,
                                  const char          *path,
                                  const char          *ref,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *base = NULL;
  g_autofree char *full = NULL;
  GTask *task;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));
  g_return_if_fail (path != NULL);

  base = contents_path (owner, repo, path);
  query_add (query, "ref", ref);
  full = g_strconcat (base, query->str, NULL);
  task = api_task (client, dr_github_api_get_contents_async, cancellable, callback, user_data);
  dr_github_client_get_async (client, full, cancellable, get_contents_cb, task);
}

GBytes *
dr_github_api_get_contents_finish (DrGithubClient  *client,
                                   GAsyncResult    *result,
                                   char           **out_sha,
                                   GError         **error)
{
  Contents *contents = finish_pointer (client, result, dr_github_api_get_contents_async, error);
  GBytes *bytes;

  if (contents == NULL)
    return NULL;
  if (out_sha != NULL)
    *out_sha = g_steal_pointer (&contents->sha);
  bytes = g_steal_pointer (&contents->content);
  contents_free (contents);
  return bytes;
}

static void
put_contents_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *sha;

  node = dr_github_client_send_finish (DR_GITHUB_CLIENT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sha = dr_json_get_string (node, "commit", "sha", NULL);
  if (sha == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub stored the file but did not name its commit"));
      return;
    }
  g_task_return_pointer (task, g_strdup (sha), g_free);
}

void
dr_github_api_put_contents_async (DrGithubClient      *client,
                                  const char          *owner,
                                  const char          *repo,
                                  const char          *path,
                                  const char          *branch,
                                  const char          *message,
                                  GBytes              *content,
                                  const char          *sha,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *full = NULL;
  gsize length = 0;
  gconstpointer data;
  GTask *task;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));
  g_return_if_fail (path != NULL && message != NULL && content != NULL);

  data = g_bytes_get_data (content, &length);
  encoded = g_base64_encode (data, length);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, encoded);
  if (sha != NULL && *sha != '\0')
    {
      json_builder_set_member_name (builder, "sha");
      json_builder_add_string_value (builder, sha);
    }
  if (branch != NULL && *branch != '\0')
    {
      json_builder_set_member_name (builder, "branch");
      json_builder_add_string_value (builder, branch);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  full = contents_path (owner, repo, path);
  task = api_task (client, dr_github_api_put_contents_async, cancellable, callback, user_data);
  dr_github_client_send_async (client, SOUP_METHOD_PUT, full, body, cancellable,
                               put_contents_cb, task);
}

char *
dr_github_api_put_contents_finish (DrGithubClient  *client,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_pointer (client, result, dr_github_api_put_contents_async, error);
}

static char *
ref_path (const char *owner,
          const char *repo,
          const char *prefix,
          const char *ref)
{
  g_autofree char *escaped = NULL;
  const char *name = ref;

  if (g_str_has_prefix (name, "refs/"))
    name += strlen ("refs/");
  escaped = g_uri_escape_string (name, "/", FALSE);
  return repo_path (owner, repo, "/git/%s/%s", prefix, escaped);
}

void
dr_github_api_get_ref_async (DrGithubClient      *client,
                             const char          *owner,
                             const char          *repo,
                             const char          *ref,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (ref != NULL);

  path = ref_path (owner, repo, "ref", ref);
  get_object (client, dr_github_api_get_ref_async, path, cancellable, callback, user_data);
}

JsonObject *
dr_github_api_get_ref_finish (DrGithubClient  *client,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_pointer (client, result, dr_github_api_get_ref_async, error);
}

void
dr_github_api_create_ref_async (DrGithubClient      *client,
                                const char          *owner,
                                const char          *repo,
                                const char          *ref,
                                const char          *sha,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *full_ref = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (ref != NULL && sha != NULL);

  full_ref = g_str_has_prefix (ref, "refs/") ? g_strdup (ref) : g_strconcat ("refs/", ref, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ref");
  json_builder_add_string_value (builder, full_ref);
  json_builder_set_member_name (builder, "sha");
  json_builder_add_string_value (builder, sha);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = repo_path (owner, repo, "/git/refs");
  task = api_task (client, dr_github_api_create_ref_async, cancellable, callback, user_data);
  dr_github_client_send_async (client, SOUP_METHOD_POST, path, body, cancellable,
                               send_object_cb, task);
}

JsonObject *
dr_github_api_create_ref_finish (DrGithubClient  *client,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_pointer (client, result, dr_github_api_create_ref_async, error);
}

void
dr_github_api_delete_ref_async (DrGithubClient      *client,
                                const char          *owner,
                                const char          *repo,
                                const char          *ref,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (ref != NULL);

  path = ref_path (owner, repo, "refs", ref);
  send_done (client, dr_github_api_delete_ref_async, SOUP_METHOD_DELETE, path, NULL,
             cancellable, callback, user_data);
}

gboolean
dr_github_api_delete_ref_finish (DrGithubClient  *client,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (client, result, dr_github_api_delete_ref_async, error);
}

/* ---- repository ------------------------------------------------------------------------- */

void
dr_github_api_get_repository_async (DrGithubClient      *client,
                                    const char          *owner,
                                    const char          *repo,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "%s", "");

  get_object (client, dr_github_api_get_repository_async, path, cancellable, callback,
              user_data);
}

JsonObject *
dr_github_api_get_repository_finish (DrGithubClient  *client,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return finish_pointer (client, result, dr_github_api_get_repository_async, error);
}

void
dr_github_api_list_branches_async (DrGithubClient      *client,
                                   const char          *owner,
                                   const char          *repo,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/branches");

  get_array (client, dr_github_api_list_branches_async, path, NULL, 0, cancellable, callback,
             user_data);
}

JsonArray *
dr_github_api_list_branches_finish (DrGithubClient  *client,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_branches_async, error);
}

/* ---- dispatch, cancel, re-run ----------------------------------------------------------- */

typedef struct
{
  char       *path;
  char       *ref;
  JsonObject *inputs;
  gboolean    without_details;
} Dispatch;

static void
dispatch_free (gpointer data)
{
  Dispatch *dispatch = data;

  g_free (dispatch->path);
  g_free (dispatch->ref);
  g_clear_pointer (&dispatch->inputs, json_object_unref);
  g_free (dispatch);
}

static JsonNode *
dispatch_body (Dispatch *dispatch)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "ref", dispatch->ref);
  if (dispatch->inputs != NULL && json_object_get_size (dispatch->inputs) > 0)
    json_object_set_object_member (object, "inputs", json_object_ref (dispatch->inputs));
  if (!dispatch->without_details)
    json_object_set_boolean_member (object, "return_run_details", TRUE);
  json_node_take_object (node, object);
  return node;
}

static void dispatch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
dispatch_send (GTask *task)
{
  Dispatch *dispatch = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = dispatch_body (dispatch);

  dr_github_client_send_async (g_task_get_source_object (task), SOUP_METHOD_POST,
                               dispatch->path, body, g_task_get_cancellable (task),
                               dispatch_cb, task);
}

static void
dispatch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Dispatch *dispatch = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;
  guint status = 0;
  gint64 *run_id;

  reply = dr_github_client_send_finish (DR_GITHUB_CLIENT (object), result, &status, &error);
  if (error != NULL)
    {
      /* GitHub Enterprise Server before return_run_details existed rejects the unknown
       * member (FACTS.md §6): send the classic dispatch once. */
      if (!dispatch->without_details &&
          (status == 400 || status == 422) && strstr (error->message, "return_run_details"))
        {
          g_clear_error (&error);
          dispatch->without_details = TRUE;
          dispatch_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  run_id = g_new0 (gint64, 1);
  *run_id = status == 200 ? dr_json_get_int (reply, 0, "workflow_run_id", NULL) : 0;
  if (*run_id < 0)
    *run_id = 0;
  g_task_return_pointer (task, run_id, g_free);
}

void
dr_github_api_dispatch_async (DrGithubClient      *client,
                              const char          *owner,
                              const char          *repo,
                              const char          *workflow,
                              const char          *ref,
                              JsonObject          *inputs,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  GTask *task;
  Dispatch *dispatch;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));
  g_return_if_fail (workflow != NULL && ref != NULL);

  escaped = esc (workflow);
  dispatch = g_new0 (Dispatch, 1);
  dispatch->path = repo_path (owner, repo, "/actions/workflows/%s/dispatches", escaped);
  dispatch->ref = g_strdup (ref);
  dispatch->inputs = inputs != NULL ? json_object_ref (inputs) : NULL;
  task = api_task (client, dr_github_api_dispatch_async, cancellable, callback, user_data);
  g_task_set_task_data (task, dispatch, dispatch_free);
  dispatch_send (task);
}

gboolean
dr_github_api_dispatch_finish (DrGithubClient  *client,
                               GAsyncResult    *result,
                               gint64          *out_run_id,
                               GError         **error)
{
  g_autofree gint64 *run_id = finish_pointer (client, result, dr_github_api_dispatch_async,
                                              error);

  if (run_id == NULL)
    return FALSE;
  if (out_run_id != NULL)
    *out_run_id = *run_id;
  return TRUE;
}

void
dr_github_api_cancel_run_async (DrGithubClient      *client,
                                const char          *owner,
                                const char          *repo,
                                gint64               run_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/actions/runs/%" G_GINT64_FORMAT "/cancel",
                                     run_id);

  send_done (client, dr_github_api_cancel_run_async, SOUP_METHOD_POST, path, NULL, cancellable,
             callback, user_data);
}

gboolean
dr_github_api_cancel_run_finish (DrGithubClient  *client,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_boolean (client, result, dr_github_api_cancel_run_async, error);
}

void
dr_github_api_rerun_failed_jobs_async (DrGithubClient      *client,
                                       const char          *owner,
                                       const char          *repo,
                                       gint64               run_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo,
                                     "/actions/runs/%" G_GINT64_FORMAT "/rerun-failed-jobs",
                                     run_id);

  send_done (client, dr_github_api_rerun_failed_jobs_async, SOUP_METHOD_POST, path, NULL,
             cancellable, callback, user_data);
}

gboolean
dr_github_api_rerun_failed_jobs_finish (DrGithubClient  *client,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return finish_boolean (client, result, dr_github_api_rerun_failed_jobs_async, error);
}

/* ---- logs ------------------------------------------------------------------------------- */

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GBytes *bytes;
  GError *error = NULL;

  bytes = dr_github_client_download_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
dr_github_api_download_job_log_async (DrGithubClient      *client,
                                      const char          *owner,
                                      const char          *repo,
                                      gint64               job_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = repo_path (owner, repo, "/actions/jobs/%" G_GINT64_FORMAT "/logs",
                                     job_id);
  GTask *task = api_task (client, dr_github_api_download_job_log_async, cancellable, callback,
                          user_data);

  dr_github_client_download_async (client, path, 0, cancellable, download_cb, task);
}

GBytes *
dr_github_api_download_job_log_finish (DrGithubClient  *client,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return finish_pointer (client, result, dr_github_api_download_job_log_async, error);
}

/* ---- organisations, installations, runners ---------------------------------------------- */

void
dr_github_api_list_org_repositories_async (DrGithubClient      *client,
                                           const char          *org,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *o = esc (org);
  g_autofree char *path = g_strdup_printf ("/orgs/%s/repos", o);

  get_array (client, dr_github_api_list_org_repositories_async, path, NULL, 0, cancellable,
             callback, user_data);
}

JsonArray *
dr_github_api_list_org_repositories_finish (DrGithubClient  *client,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_org_repositories_async, error);
}

void
dr_github_api_list_installation_repositories_async (DrGithubClient      *client,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data)
{
  get_array (client, dr_github_api_list_installation_repositories_async,
             "/installation/repositories", "repositories", 0, cancellable, callback, user_data);
}

JsonArray *
dr_github_api_list_installation_repositories_finish (DrGithubClient  *client,
                                                     GAsyncResult    *result,
                                                     GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_installation_repositories_async,
                         error);
}

void
dr_github_api_list_runner_groups_async (DrGithubClient      *client,
                                        const char          *org,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *o = esc (org);
  g_autofree char *path = g_strdup_printf ("/orgs/%s/actions/runner-groups", o);

  get_array (client, dr_github_api_list_runner_groups_async, path, "runner_groups", 0,
             cancellable, callback, user_data);
}

JsonArray *
dr_github_api_list_runner_groups_finish (DrGithubClient  *client,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_runner_groups_async, error);
}

void
dr_github_api_list_runner_group_repositories_async (DrGithubClient      *client,
                                                    const char          *org,
                                                    gint64               group_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data)
{
  g_autofree char *o = esc (org);
  g_autofree char *path = g_strdup_printf ("/orgs/%s/actions/runner-groups/%" G_GINT64_FORMAT
                                           "/repositories", o, group_id);

  get_array (client, dr_github_api_list_runner_group_repositories_async, path, "repositories",
             0, cancellable, callback, user_data);
}

JsonArray *
dr_github_api_list_runner_group_repositories_finish (DrGithubClient  *client,
                                                     GAsyncResult    *result,
                                                     GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_runner_group_repositories_async,
                         error);
}

void
dr_github_api_list_runners_async (DrGithubClient      *client,
                                  const char          *owner,
                                  const char          *repo,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  if (repo != NULL)
    path = repo_path (owner, repo, "/actions/runners");
  else
    {
      g_autofree char *o = esc (owner);

      path = g_strdup_printf ("/orgs/%s/actions/runners", o);
    }
  get_array (client, dr_github_api_list_runners_async, path, "runners", 0, cancellable,
             callback, user_data);
}

JsonArray *
dr_github_api_list_runners_finish (DrGithubClient  *client,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_pointer (client, result, dr_github_api_list_runners_async, error);
}
