/* dr-bench-logd.c — a pod log that writes as fast as asked, for the log benchmarks
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its own process, so the program being measured spends nothing on producing the lines. It
 * answers what a follower asks of the Kubernetes API: GET of the pod (Running) and GET of its
 * log. `--lines N` writes N lines as fast as the connection takes them; `--rate R --seconds S`
 * writes R lines a second for S seconds. A followed log then stays open, as a running
 * container's does; an unfollowed one ends. Prints its URL on standard output.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

static int lines = 200000;
static int rate;
static int seconds = 20;

typedef struct
{
  SoupServerMessage *msg;
  gboolean           follow;
  int                written;
  int                goal;
  guint              source;
  gint64             started;
} Stream;

static void
append_lines (Stream *stream,
              int     count)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  g_autoptr(GString) chunk = g_string_new (NULL);

  for (int i = 0; i < count && stream->written < stream->goal; i++, stream->written++)
    g_string_append_printf (chunk, "2026-12-04T10:00:%02d.%09dZ worker %03d: step %d of the "
                            "build wrote this line, number %d, to its log\n",
                            (stream->written / 1000) % 60, stream->written % 1000000000,
                            stream->written % 7, stream->written % 31, stream->written);
  soup_message_body_append (body, SOUP_MEMORY_COPY, chunk->str, chunk->len);
  if (stream->written >= stream->goal && !stream->follow)
    soup_message_body_complete (body);
  soup_server_message_unpause (stream->msg);
}

static gboolean
write_more_cb (gpointer data)
{
  Stream *stream = data;

  if (rate > 0)
    {
      /* Catch up with the clock, so a late tick does not lower the rate. */
      gint64 due = (g_get_monotonic_time () - stream->started) * rate / G_USEC_PER_SEC;

      append_lines (stream, (int) MIN (due - stream->written, 10000));
    }
  else
    append_lines (stream, 2000);
  if (stream->written < stream->goal)
    return G_SOURCE_CONTINUE;
  stream->source = 0;
  return G_SOURCE_REMOVE;
}

static void
finished_cb (SoupServerMessage *msg,
             Stream            *stream)
{
  g_clear_handle_id (&stream->source, g_source_remove);
  g_free (stream);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Stream *stream;

  if (!g_str_has_prefix (path, "/api/v1/namespaces/") || strstr (path, "/pods/") == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (!g_str_has_suffix (path, "/log"))
    {
      const char *pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bench\","
                        "\"namespace\":\"arc-runners\"},\"status\":{\"phase\":\"Running\"}}";

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, pod,
                                        strlen (pod));
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }

  stream = g_new0 (Stream, 1);
  stream->msg = msg;
  stream->follow = query && g_strcmp0 (g_hash_table_lookup (query, "follow"), "true") == 0;
  stream->goal = rate > 0 ? rate * seconds : lines;
  stream->started = g_get_monotonic_time ();
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "text/plain", NULL);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), stream);
  stream->source = g_timeout_add (rate > 0 ? 10 : 1, write_more_cb, stream);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— a fast pod log");
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;
  const GOptionEntry entries[] = {
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "Lines to write at full speed", "N" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Lines per second instead", "R" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "For how long, with --rate", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dr-bench-logd: %s\n", error->message);
      return 2;
    }
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handle_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      fprintf (stderr, "dr-bench-logd: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  {
    g_autofree char *url = g_uri_to_string (uris->data);

    /* Without the trailing slash, as a kubeconfig's server. */
    if (g_str_has_suffix (url, "/"))
      url[strlen (url) - 1] = '\0';
    printf ("%s\n", url);
    fflush (stdout);
  }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (loop);
  return 0;
}
