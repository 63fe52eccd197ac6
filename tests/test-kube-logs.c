/* test-kube-logs.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrKubeLogStream against the fake API server: tail and follow, long lines in pieces,
 * container restarts and broken connections without duplicates, the pod going or finishing,
 * stopping; and the fake's log endpoint itself.
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-fake-apiserver.h"
#include "dr-kube-client.h"
#include "dr-kube-log-stream.h"
#include "dr-test-utils.h"

#define WAIT_MS 10000
#define POD     "/api/v1/namespaces/ci/pods/runner-0"
#define LOG     POD "/log"

/* ---- Helpers ----------------------------------------------------------------------------- */

static DrKubeClient *
client_for (DrFakeApiserver *server,
            const char      *token)
{
  DrTestKubeCredentials credentials = { .token = token };

  return dr_test_kube_client_new (dr_fake_apiserver_get_url (server), &credentials);
}

static DrFakeApiserver *
server_new (void)
{
  DrFakeApiserver *server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autofree char *ns = NULL;
  g_autofree char *pod = NULL;
  g_autofree char *pair = NULL;

  dr_fake_apiserver_register_defaults (server);
  ns = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                      "\"metadata\":{\"name\":\"ci\"}}");
  pod = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                                       "{\"name\":\"runner-0\",\"namespace\":\"ci\"},"
                                       "\"spec\":{\"containers\":[{\"name\":\"runner\","
                                       "\"image\":\"runner:1\"}]},"
                                       "\"status\":{\"phase\":\"Running\"}}");
  pair = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                                        "{\"name\":\"listener\",\"namespace\":\"ci\"},"
                                        "\"spec\":{\"containers\":[{\"name\":\"listener\"},"
                                        "{\"name\":\"metrics\"}]}}");
  return server;
}

static void
append (DrFakeApiserver *server,
        const char      *first,
        ...)
{
  va_list args;

  va_start (args, first);
  for (const char *line = first; line != NULL; line = va_arg (args, const char *))
    dr_fake_apiserver_append_log (server, "ci", "runner-0", line);
  va_end (args);
}

/* Log requests the fake received. */
static guint
count_logs (DrFakeApiserver *server)
{
  return dr_fake_apiserver_count_requests (server, "GET", LOG);
}

static const DrFakeRequest *
nth_log (DrFakeApiserver *server,
         guint            n)
{
  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->path, LOG) && n-- == 0)
        return request;
    }
  g_assert_not_reached ();
}

typedef struct
{
  DrKubeLogStream *stream;
  GPtrArray       *lines;
  guint            want;
  gboolean         ended;
  DrKubeLogEnd     reason;
  char            *message;
  gboolean         seen_reconnecting;
  char            *reconnecting_error;
} Recorder;

static void
line_cb (DrKubeLogStream *stream,
         const char      *line,
         Recorder        *rec)
{
  g_assert_false (rec->ended);
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_cmpuint (strlen (line), <=, DR_KUBE_LOG_MAX_LINE);
  g_ptr_array_add (rec->lines, g_strdup (line));
}

static void
ended_cb (DrKubeLogStream *stream,
          DrKubeLogEnd     reason,
          const char      *message,
          Recorder        *rec)
{
  g_assert_false (rec->ended);
  g_assert_nonnull (message);
  rec->ended = TRUE;
  rec->reason = reason;
  rec->message = g_strdup (message);
  g_assert_cmpint (dr_kube_log_stream_get_state (stream), ==, DR_KUBE_LOG_STREAM_ENDED);
}

static void
state_cb (DrKubeLogStream *stream,
          GParamSpec      *pspec,
          Recorder        *rec)
{
  if (dr_kube_log_stream_get_state (stream) == DR_KUBE_LOG_STREAM_RECONNECTING)
    {
      rec->seen_reconnecting = TRUE;
      g_free (rec->reconnecting_error);
      rec->reconnecting_error = g_strdup (dr_kube_log_stream_get_last_error (stream));
    }
}

static Recorder *
recorder_new (DrKubeClient           *client,
              const char             *pod,
              const DrKubeLogOptions *options)
{
  Recorder *rec = g_new0 (Recorder, 1);

  rec->stream = dr_kube_log_stream_new (client, "ci", pod, options);
  rec->lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (rec->stream, "line", G_CALLBACK (line_cb), rec);
  g_signal_connect (rec->stream, "ended", G_CALLBACK (ended_cb), rec);
  g_signal_connect (rec->stream, "notify::state", G_CALLBACK (state_cb), rec);
  return rec;
}

static void
recorder_free (Recorder *rec)
{
  g_signal_handlers_disconnect_by_data (rec->stream, rec);
  g_object_unref (rec->stream);
  g_ptr_array_unref (rec->lines);
  g_free (rec->message);
  g_free (rec->reconnecting_error);
  g_free (rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static gboolean
has_lines (gpointer data)
{
  Recorder *rec = data;

  return rec->lines->len >= rec->want;
}

static void
wait_lines (Recorder *rec,
            guint     n)
{
  rec->want = n;
  dr_test_wait_until (has_lines, rec, WAIT_MS, "log lines");
}

static void
wait_ended (Recorder *rec)
{
  dr_test_wait_for_flag (&rec->ended, WAIT_MS);
}

/* The lines from @from on, joined by " | ", without their timestamps. */
static char *
joined (Recorder *rec,
        guint     from)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = from; i < rec->lines->len; i++)
    {
      const char *line = g_ptr_array_index (rec->lines, i);
      const char *rest = line;

      dr_kube_log_parse_timestamp (line, NULL, &rest);
      g_string_append_printf (text, "%s%s", i > from ? " | " : "", rest);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The timestamp prefix of line @index (timestamps on). */
static char *
stamp_of (Recorder *rec,
          guint     index)
{
  const char *line = g_ptr_array_index (rec->lines, index);
  const char *rest = NULL;

  g_assert_true (dr_kube_log_parse_timestamp (line, NULL, &rest));
  return g_strndup (line, rest - line - 1);
}

/* ---- Tests ------------------------------------------------------------------------------- */

static void
test_parse_timestamp (void)
{
  static const struct {
    const char *line;
    gboolean    ok;
    const char *text;
    gint64      unix_time;
    int         microsecond;
  } cases[] = {
    { "2026-11-22T15:54:33.123456789Z hello world", TRUE, "hello world", 1795362873, 123456 },
    { "2026-11-22T15:54:33Z x", TRUE, "x", 1795362873, 0 },
    { "2026-11-22T15:54:33.5Z ", TRUE, "", 1795362873, 500000 },
    { "2026-11-22T17:54:33.25+02:00 later", TRUE, "later", 1795362873, 250000 },
    { "hello world", FALSE, NULL, 0, 0 },
    { "", FALSE, NULL, 0, 0 },
    { "2026-11-22T15:54:33.Z x", FALSE, NULL, 0, 0 },
    { "2026-11-22T15:54:33.123Z", FALSE, NULL, 0, 0 },
    { "2026-13-45T99:99:99Z broken", FALSE, NULL, 0, 0 },
    { "2026-11-22 15:54:33Z not RFC 3339", FALSE, NULL, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) time = NULL;
      const char *text = NULL;
      gboolean ok = dr_kube_log_parse_timestamp (cases[i].line, &time, &text);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        continue;
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpint (g_date_time_to_unix (time), ==, cases[i].unix_time);
      g_assert_cmpint (g_date_time_get_microsecond (time), ==, cases[i].microsecond);
    }
}

static void
test_follow (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions tail = { .container = "runner", .follow = TRUE, .tail_lines = 3 };
  DrKubeLogOptions stamped = { .follow = TRUE, .timestamps = TRUE };
  g_autoptr(Recorder) rec = NULL;
  g_autoptr(Recorder) with_stamps = NULL;
  g_autofree char *text = NULL;
  const DrFakeRequest *request;
  gint64 previous = 0;

  append (server, "one", "two", "three", "four", "five", NULL);
  rec = recorder_new (client, "runner-0", &tail);
  g_assert_cmpint (dr_kube_log_stream_get_state (rec->stream), ==, DR_KUBE_LOG_STREAM_STOPPED);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 3);
  g_assert_cmpint (dr_kube_log_stream_get_state (rec->stream), ==, DR_KUBE_LOG_STREAM_STREAMING);

  request = nth_log (server, 0);
  g_assert_cmpstr (g_hash_table_lookup (request->params, "container"), ==, "runner");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "follow"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "timestamps"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "tailLines"), ==, "3");
  g_assert_false (g_hash_table_contains (request->params, "sinceTime"));
  g_assert_false (g_hash_table_contains (request->params, "previous"));

  /* What the container writes next flows in, in order; the lines are without timestamps. */
  append (server, "six", "seven", NULL);
  wait_lines (rec, 5);
  g_assert_cmpstr (g_ptr_array_index (rec->lines, 0), ==, "three");
  text = joined (rec, 0);
  g_assert_cmpstr (text, ==, "three | four | five | six | seven");
  g_assert_cmpuint (count_logs (server), ==, 1);

  /* With timestamps, every line starts with one, in order; the only container is implied. */
  with_stamps = recorder_new (client, "runner-0", &stamped);
  dr_kube_log_stream_start (with_stamps->stream);
  wait_lines (with_stamps, 7);
  g_assert_false (g_hash_table_contains (nth_log (server, 1)->params, "container"));
  for (guint i = 0; i < with_stamps->lines->len; i++)
    {
      g_autoptr(GDateTime) time = NULL;
      gint64 usec;

      g_assert_true (dr_kube_log_parse_timestamp (g_ptr_array_index (with_stamps->lines, i),
                                                  &time, NULL));
      usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
      g_assert_cmpint (usec, >=, previous);
      previous = usec;
    }
  g_clear_pointer (&text, g_free);
  text = joined (with_stamps, 0);
  g_assert_cmpstr (text, ==, "one | two | three | four | five | six | seven");

  dr_kube_log_stream_stop (rec->stream);
  g_assert_cmpint (dr_kube_log_stream_get_state (rec->stream), ==, DR_KUBE_LOG_STREAM_STOPPED);
}

static void
test_long_line (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);
  g_autoptr(GString) long_line = g_string_new ("x");
  g_autoptr(GString) pieces = g_string_new (NULL);

  /* 200 KiB of two-byte characters behind one single-byte one: a cut at 64 KiB would fall
   * inside a character. */
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append (long_line, "é");
  append (server, "before", long_line->str, "after", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 6);

  g_assert_cmpstr (g_ptr_array_index (rec->lines, 0), ==, "before");
  g_assert_cmpstr (g_ptr_array_index (rec->lines, rec->lines->len - 1), ==, "after");
  for (guint i = 1; i + 1 < rec->lines->len; i++)
    {
      const char *piece = g_ptr_array_index (rec->lines, i);

      g_assert_cmpuint (strlen (piece), <=, DR_KUBE_LOG_MAX_LINE);
      g_assert_cmpuint (strlen (piece), >, 0);
      g_string_append (pieces, piece);
    }
  g_test_message ("a %" G_GSIZE_FORMAT "-byte line came in %u pieces", long_line->len,
                  rec->lines->len - 2);
  g_assert_cmpuint (rec->lines->len - 2, ==, 4);
  g_assert_cmpuint (pieces->len, ==, long_line->len);
  g_assert_true (g_str_equal (pieces->str, long_line->str));
  g_assert_null (strstr (pieces->str, "\xef\xbf\xbd"));       /* no U+FFFD */
}

static void
test_restart (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE, .timestamps = TRUE, .tail_lines = 10 };
  DrKubeLogOptions before = { .previous = TRUE };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) previous = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last_stamp = NULL;
  const DrFakeRequest *again;

  append (server, "a1", "a2", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 2);
  append (server, "a3", NULL);
  wait_lines (rec, 3);
  last_stamp = stamp_of (rec, 2);

  /* The container restarts: the stream ends, and the new container's lines come, once. */
  g_assert_cmpuint (dr_fake_apiserver_restart_container (server, "ci", "runner-0"), ==, 1);
  append (server, "b1", NULL);
  wait_lines (rec, 4);
  append (server, "b2", "b3", NULL);
  wait_lines (rec, 6);
  text = joined (rec, 0);
  g_assert_cmpstr (text, ==, "a1 | a2 | a3 | b1 | b2 | b3");
  g_assert_true (rec->seen_reconnecting);
  g_assert_false (rec->ended);

  /* Asked again from the last line's timestamp, not the tail; after a look at the pod. */
  g_assert_cmpuint (count_logs (server), ==, 2);
  again = nth_log (server, 1);
  g_assert_cmpstr (g_hash_table_lookup (again->params, "sinceTime"), ==, last_stamp);
  g_assert_false (g_hash_table_contains (again->params, "tailLines"));
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", POD), ==, 1);

  /* The instance before the restart, on request. */
  previous = recorder_new (client, "runner-0", &before);
  dr_kube_log_stream_start (previous->stream);
  wait_ended (previous);
  g_clear_pointer (&text, g_free);
  text = joined (previous, 0);
  g_assert_cmpstr (text, ==, "a1 | a2 | a3");
  g_assert_cmpint (previous->reason, ==, DR_KUBE_LOG_END_COMPLETE);
  g_assert_cmpstr (g_hash_table_lookup (nth_log (server, 2)->params, "previous"), ==, "true");
}

static void
test_broken_connection (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) stamped = NULL;
  DrKubeLogOptions with_stamps = { .timestamps = TRUE };
  g_autofree char *text = NULL;
  g_autofree char *last_stamp = NULL;

  append (server, "l1", "l2", "l3", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 3);

  /* The connection breaks; the same container goes on. The server sends again what it has
   * since the last line's second (sinceTime is cut to the second on its way to the kubelet),
   * and the stream skips what it handed out already. */
  g_assert_cmpuint (dr_fake_apiserver_drop_log_streams (server), ==, 1);
  append (server, "l4", NULL);
  wait_lines (rec, 4);
  append (server, "l5", NULL);
  wait_lines (rec, 5);
  text = joined (rec, 0);
  g_assert_cmpstr (text, ==, "l1 | l2 | l3 | l4 | l5");
  g_assert_cmpuint (count_logs (server), ==, 2);

  stamped = recorder_new (client, "runner-0", &with_stamps);
  dr_kube_log_stream_start (stamped->stream);
  wait_ended (stamped);
  last_stamp = stamp_of (stamped, 2);
  g_assert_cmpstr (g_hash_table_lookup (nth_log (server, 1)->params, "sinceTime"), ==,
                   last_stamp);
}

static void
test_pod_deleted (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) missing = recorder_new (client, "runner-9", &options);

  append (server, "last words", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 1);
  dr_fake_apiserver_delete (server, POD);
  wait_ended (rec);
  g_assert_cmpint (rec->reason, ==, DR_KUBE_LOG_END_POD_GONE);
  g_assert_nonnull (strstr (rec->message, "runner-0"));
  g_assert_cmpuint (rec->lines->len, ==, 1);
  g_assert_cmpint (dr_kube_log_stream_get_state (rec->stream), ==, DR_KUBE_LOG_STREAM_ENDED);
  /* An ended stream stays ended. */
  dr_kube_log_stream_start (rec->stream);
  dr_kube_log_stream_stop (rec->stream);
  g_assert_cmpint (dr_kube_log_stream_get_state (rec->stream), ==, DR_KUBE_LOG_STREAM_ENDED);

  /* A pod that is not there at all. */
  dr_kube_log_stream_start (missing->stream);
  wait_ended (missing);
  g_assert_cmpint (missing->reason, ==, DR_KUBE_LOG_END_POD_GONE);
  g_assert_cmpuint (missing->lines->len, ==, 0);
}

static void
test_pod_finished (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);

  append (server, "job done", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_lines (rec, 1);
  dr_fake_apiserver_patch (server, POD, "{\"status\":{\"phase\":\"Succeeded\"}}");
  dr_fake_apiserver_restart_container (server, "ci", "runner-0");
  wait_ended (rec);
  g_assert_cmpint (rec->reason, ==, DR_KUBE_LOG_END_POD_FINISHED);
  g_assert_nonnull (strstr (rec->message, "Succeeded"));
  g_assert_cmpuint (count_logs (server), ==, 1);
}

static void
test_not_following (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, "s3cret");
  DrKubeLogOptions options = { .since_seconds = 3600 };
  g_autoptr(Recorder) rec = recorder_new (client, "runner-0", &options);
  g_autofree char *text = NULL;

  /* Through a bearer token, as every request. */
  dr_fake_apiserver_require_token (server, "s3cret");
  append (server, "first", "second", NULL);
  dr_kube_log_stream_start (rec->stream);
  wait_ended (rec);
  g_assert_cmpint (rec->reason, ==, DR_KUBE_LOG_END_COMPLETE);
  text = joined (rec, 0);
  g_assert_cmpstr (text, ==, "first | second");
  g_assert_cmpstr (g_hash_table_lookup (nth_log (server, 0)->params, "sinceSeconds"), ==,
                   "3600");
  g_assert_false (g_hash_table_contains (nth_log (server, 0)->params, "follow"));
  g_assert_cmpstr (nth_log (server, 0)->authorization, ==, "Bearer s3cret");
}

static void
test_errors (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions wrong = { .container = "sidecar", .follow = TRUE };
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) waiting = recorder_new (client, "runner-0", &wrong);
  g_autoptr(Recorder) forbidden = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) ambiguous = recorder_new (client, "listener", &options);

  /* 400 (a container that is not there, or still waiting to start): the pod is looked at
   * again later, and the stream says why it waits. */
  dr_kube_log_stream_start (waiting->stream);
  while (!waiting->seen_reconnecting)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (waiting->reconnecting_error, "sidecar is not valid"));
  g_assert_cmpstr (dr_kube_log_stream_get_last_error (waiting->stream), ==,
                   waiting->reconnecting_error);
  dr_kube_log_stream_stop (waiting->stream);
  g_assert_false (waiting->ended);

  /* 403: retrying will not help. */
  dr_fake_apiserver_fail_next (server, 403, "pods \"runner-0\" is forbidden: User cannot get "
                               "resource \"pods/log\"", -1);
  dr_kube_log_stream_start (forbidden->stream);
  wait_ended (forbidden);
  g_assert_cmpint (forbidden->reason, ==, DR_KUBE_LOG_END_ERROR);
  g_assert_nonnull (strstr (forbidden->message, "pods/log"));
  g_assert_cmpstr (dr_kube_log_stream_get_last_error (forbidden->stream), ==,
                   forbidden->message);

  /* Two containers and none named. */
  dr_kube_log_stream_start (ambiguous->stream);
  while (!ambiguous->seen_reconnecting)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (ambiguous->reconnecting_error, "choose one of: [listener metrics]"));
  dr_kube_log_stream_stop (ambiguous->stream);
}

static gboolean
reconnecting (gpointer data)
{
  return dr_kube_log_stream_get_state (data) == DR_KUBE_LOG_STREAM_RECONNECTING;
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static void
test_stop (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  DrKubeLogOptions options = { .follow = TRUE };
  g_autoptr(Recorder) stopped = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) waiting = recorder_new (client, "runner-0", &options);
  g_autoptr(Recorder) control = recorder_new (client, "runner-0", &options);
  DrKubeLogStream *disposed = dr_kube_log_stream_new (client, "ci", "runner-0", &options);
  gboolean disposed_got_line = FALSE;
  guint logs;

  append (server, "one", NULL);
  dr_kube_log_stream_start (stopped->stream);
  dr_kube_log_stream_start (waiting->stream);
  dr_kube_log_stream_start (disposed);
  wait_lines (stopped, 1);
  wait_lines (waiting, 1);
  g_signal_connect_swapped (disposed, "line", G_CALLBACK (set_flag), &disposed_got_line);
  dr_test_wait_for_flag (&disposed_got_line, WAIT_MS);

  /* Stopped while streaming; another stopped while it waits to reconnect; the last reference
   * to a third dropped while it streams. None says anything any more. */
  dr_kube_log_stream_stop (stopped->stream);
  dr_kube_log_stream_stop (stopped->stream);
  g_assert_cmpint (dr_kube_log_stream_get_state (stopped->stream), ==, DR_KUBE_LOG_STREAM_STOPPED);
  g_object_add_weak_pointer (G_OBJECT (disposed), (gpointer *) &disposed);
  g_object_unref (disposed);
  g_assert_null (disposed);

  logs = count_logs (server);
  dr_fake_apiserver_drop_log_streams (server);
  dr_test_wait_until (reconnecting, waiting->stream, WAIT_MS, "the stream to wait");
  dr_kube_log_stream_stop (waiting->stream);

  /* A stream started after all that sees the next lines; the others see nothing, and nobody
   * asked for the log again. */
  dr_kube_log_stream_start (control->stream);
  wait_lines (control, 1);
  append (server, "two", "three", NULL);
  wait_lines (control, 3);
  g_assert_cmpuint (count_logs (server) - logs, ==, 1);
  g_assert_cmpuint (stopped->lines->len, ==, 1);
  g_assert_cmpuint (waiting->lines->len, ==, 1);
  g_assert_false (stopped->ended);
  g_assert_false (waiting->ended);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", POD), ==, 0);
}

/* ---- The fake's log endpoint ------------------------------------------------------------- */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static guint
raw_get (DrFakeApiserver  *server,
         const char       *method,
         const char       *path_and_query,
         char            **body_out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (dr_fake_apiserver_get_url (server), path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, done_cb, &wait);
  dr_test_wait_for_flag (&wait.done, WAIT_MS);
  body = soup_session_send_and_read_finish (session, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  if (body_out != NULL)
    *body_out = g_bytes_get_size (body) > 0
                ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                : g_strdup ("");
  return soup_message_get_status (msg);
}

static void
test_fake_logs (void)
{
  g_autoptr(DrFakeApiserver) server = server_new ();
  g_autofree char *body = NULL;

  append (server, "alpha", "beta", "gamma", NULL);
  g_assert_cmpuint (raw_get (server, "GET", LOG, &body), ==, 200);
  g_assert_cmpstr (body, ==, "alpha\nbeta\ngamma\n");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?tailLines=1&container=runner", &body), ==, 200);
  g_assert_cmpstr (body, ==, "gamma\n");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?tailLines=0", &body), ==, 200);
  g_assert_cmpstr (body, ==, "");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?timestamps=true&tailLines=1", &body), ==, 200);
  g_assert_true (g_str_has_suffix (body, "Z gamma\n"));
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?sinceTime=2000-01-01T00:00:00Z", &body), ==,
                    200);
  g_assert_cmpstr (body, ==, "alpha\nbeta\ngamma\n");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?sinceTime=2999-01-01T00:00:00Z", &body), ==,
                    200);
  g_assert_cmpstr (body, ==, "");

  g_assert_cmpuint (raw_get (server, "GET", "/api/v1/namespaces/ci/pods/nobody/log", NULL), ==,
                    404);
  g_assert_cmpuint (raw_get (server, "GET", "/api/v1/namespaces/ci/pods/listener/log", NULL), ==,
                    400);
  g_assert_cmpuint (raw_get (server, "GET", "/api/v1/namespaces/ci/pods/listener/log"
                             "?container=metrics", NULL), ==, 200);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?container=sidecar", NULL), ==, 400);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?tailLines=-1", NULL), ==, 422);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?sinceSeconds=0", NULL), ==, 422);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?sinceSeconds=5&sinceTime=2000-01-01T00:00:00Z",
                             NULL), ==, 422);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?sinceTime=yesterday", NULL), ==, 400);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?follow=maybe", NULL), ==, 400);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?previous=true", NULL), ==, 400);
  g_assert_cmpuint (raw_get (server, "POST", LOG, NULL), ==, 405);

  dr_fake_apiserver_restart_container (server, "ci", "runner-0");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG "?previous=true", &body), ==, 200);
  g_assert_cmpstr (body, ==, "alpha\nbeta\ngamma\n");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (raw_get (server, "GET", LOG, &body), ==, 200);
  g_assert_cmpstr (body, ==, "");
  g_assert_cmpuint (dr_fake_apiserver_get_n_log_streams (server), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/kube-logs/parse-timestamp", test_parse_timestamp);
  g_test_add_func ("/deskrun/kube-logs/follow", test_follow);
  g_test_add_func ("/deskrun/kube-logs/long-line", test_long_line);
  g_test_add_func ("/deskrun/kube-logs/restart", test_restart);
  g_test_add_func ("/deskrun/kube-logs/broken-connection", test_broken_connection);
  g_test_add_func ("/deskrun/kube-logs/pod-deleted", test_pod_deleted);
  g_test_add_func ("/deskrun/kube-logs/pod-finished", test_pod_finished);
  g_test_add_func ("/deskrun/kube-logs/not-following", test_not_following);
  g_test_add_func ("/deskrun/kube-logs/errors", test_errors);
  g_test_add_func ("/deskrun/kube-logs/stop", test_stop);
  g_test_add_func ("/deskrun/kube-logs/fake", test_fake_logs);

  return g_test_run ();
}
