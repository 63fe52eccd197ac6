/* test-log-window.c — the log window on a live pod log from the fake API server
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-fake-apiserver.h"
#include "dr-kube-client.h"
#include "dr-log-window-private.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"
#include "dr-window.h"

#define WAIT_MS 10000
#define POD     "/api/v1/namespaces/ci/pods/web-x2k9v-runner-4hq7p"
#define POD_NAME "web-x2k9v-runner-4hq7p"

typedef struct
{
  DrFakeApiserver *server;
  DrKubeClient    *client;
  DrKubeLogStream *stream;
  DrLogWindow     *window;
} Fixture;

static void
append (Fixture    *fixture,
        const char *text)
{
  dr_fake_apiserver_append_log (fixture->server, "ci", POD_NAME, text);
}

/* A running runner pod with @lines already in its log, followed with timestamps as the
 * engine does it, in a window of 900×600. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const *lines = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ns = NULL;
  g_autofree char *pod = NULL;
  DrKubeContext context = { 0, };
  DrKubeLogOptions options = { .follow = TRUE, .timestamps = TRUE, .tail_lines = 500 };

  fixture->server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  dr_fake_apiserver_register_defaults (fixture->server);
  ns = dr_fake_apiserver_add (fixture->server, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                               "\"metadata\":{\"name\":\"ci\"}}");
  pod = dr_fake_apiserver_add (fixture->server,
                               "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                               "{\"name\":\"" POD_NAME "\",\"namespace\":\"ci\"},"
                               "\"spec\":{\"containers\":[{\"name\":\"runner\","
                               "\"image\":\"runner:1\"}]},"
                               "\"status\":{\"phase\":\"Running\"}}");
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    append (fixture, lines[i]);

  context.context_name = (char *) "fake";
  context.server = (char *) dr_fake_apiserver_get_url (fixture->server);
  fixture->client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);

  options.container = "runner";
  fixture->stream = dr_kube_log_stream_new (fixture->client, "ci", POD_NAME, &options);
  dr_kube_log_stream_start (fixture->stream);
  fixture->window = dr_log_window_new (NULL, POD_NAME, fixture->stream);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 600);
  gtk_window_present (GTK_WINDOW (fixture->window));
  dr_test_gtk_flush (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->stream);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, dr_fake_apiserver_free);
}

typedef struct
{
  DrLogWindow *window;
  guint        n;
} Count;


static gboolean
has_lines (gpointer data)
{
  Count *count = data;

  return _dr_log_window_get_n_lines (count->window) >= count->n;
}

static void
wait_lines (Fixture *fixture,
            guint    n)
{
  Count count = { fixture->window, n };

  dr_test_gtk_wait_until (has_lines, &count, WAIT_MS);
}

static gboolean
has_matches (gpointer data)
{
  Count *count = data;

  return _dr_log_window_get_n_matches (count->window) == count->n;
}

static gboolean
at_end (gpointer data)
{
  dr_test_gtk_flush (data);
  return _dr_log_window_is_at_end (data);
}

static gboolean
following (gpointer data)
{
  return g_strcmp0 (_dr_log_window_get_subtitle (data), "Following") == 0;
}

static gboolean
stream_ended (gpointer data)
{
  return dr_kube_log_stream_get_state (data) == DR_KUBE_LOG_STREAM_ENDED;
}

static gboolean
get_follow (DrLogWindow *window)
{
  gboolean follow;

  g_object_get (window, "follow", &follow, NULL);
  return follow;
}

static const char *some_lines[] = {
  "Listening for Jobs",
  "Running job: build (ubuntu)",
  "error: could not resolve host",
  "Job build (ubuntu) completed with result: Failed",
  NULL
};

/* Lines show in order, live, and the title says the stream is following. */
static void
test_lines (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *more = NULL;

  wait_lines (fixture, 4);
  dr_test_gtk_wait_until (following, fixture->window, WAIT_MS);
  text = _dr_log_window_dup_text (fixture->window);
  g_assert_cmpstr (text, ==,
                   "Listening for Jobs\n"
                   "Running job: build (ubuntu)\n"
                   "error: could not resolve host\n"
                   "Job build (ubuntu) completed with result: Failed\n");

  append (fixture, "Listening for Jobs again");
  wait_lines (fixture, 5);
  more = _dr_log_window_dup_text (fixture->window);
  g_assert_true (g_str_has_prefix (more, text));
  g_assert_cmpstr (more + strlen (text), ==, "Listening for Jobs again\n");
}

/* Showing timestamps re-renders from the kept lines; hiding them brings the plain text
 * back. Nothing is asked of the server for either. */
static void
test_timestamps (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *plain = NULL;
  g_autofree char *stamped = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) lines = NULL;
  guint requests;

  wait_lines (fixture, 4);
  plain = _dr_log_window_dup_text (fixture->window);
  requests = dr_fake_apiserver_count_requests (fixture->server, NULL, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.timestamps",
                                             NULL));
  stamped = _dr_log_window_dup_text (fixture->window);
  lines = g_strsplit (stamped, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GDateTime) when = NULL;
      const char *rest = NULL;

      g_assert_true (dr_kube_log_parse_timestamp (lines[i], &when, &rest));
      g_assert_nonnull (when);
      g_assert_cmpstr (rest, ==, some_lines[i]);
    }

  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "log-window-timestamps");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.timestamps",
                                             NULL));
  again = _dr_log_window_dup_text (fixture->window);
  g_assert_cmpstr (again, ==, plain);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, NULL, NULL), ==, requests);
}

/* Matches are highlighted and counted as lines arrive; Enter and Shift+Enter (here their
 * actions) go to the next and previous one, wrapping around. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  Count count = { fixture->window, 3 };
  int start = -1, end = -1;
  g_autofree char *text = NULL;
  int second, third;

  wait_lines (fixture, 4);
  text = _dr_log_window_dup_text (fixture->window);
  second = g_utf8_pointer_to_offset (text, strstr (text, "job: build"));
  third = g_utf8_pointer_to_offset (text, strstr (text, "Job build"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.search", NULL));
  gtk_editable_set_text (_dr_log_window_get_search_entry (fixture->window), "JOB");
  dr_test_gtk_wait_until (has_matches, &count, WAIT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.next-match",
                                             NULL));
  g_assert_true (_dr_log_window_get_current_match (fixture->window, &start, &end));
  /* "Listening for Jobs": the first match, case-insensitive. */
  g_assert_cmpint (start, ==, strlen ("Listening for "));
  g_assert_cmpint (end - start, ==, 3);
  /* Going to a match stops following, or the next line would scroll it away. */
  g_assert_false (get_follow (fixture->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.next-match",
                                             NULL));
  g_assert_true (_dr_log_window_get_current_match (fixture->window, &start, &end));
  g_assert_cmpint (start, ==, second);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.previous-match",
                                             NULL));
  g_assert_true (_dr_log_window_get_current_match (fixture->window, &start, &end));
  g_assert_cmpint (start, ==, strlen ("Listening for "));

  /* Before the first comes the last. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.previous-match",
                                             NULL));
  g_assert_true (_dr_log_window_get_current_match (fixture->window, &start, &end));
  g_assert_cmpint (start, ==, third);

  /* A new line is searched as it arrives. */
  count.n = 4;
  append (fixture, "Job test completed with result: Succeeded");
  dr_test_gtk_wait_until (has_matches, &count, WAIT_MS);

  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "log-window-search");

  gtk_editable_set_text (_dr_log_window_get_search_entry (fixture->window), "");
  count.n = 0;
  dr_test_gtk_wait_until (has_matches, &count, WAIT_MS);
  g_assert_false (_dr_log_window_get_current_match (fixture->window, &start, &end));
}

/* Following keeps the last line in view; scrolling up stops it and the Follow toggle
 * brings it back. The line cap drops the oldest lines and says so once. */
static void
test_follow_and_cap (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkAdjustment *vadjustment;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u", i);

      append (fixture, line);
    }
  wait_lines (fixture, 200);
  g_assert_true (get_follow (fixture->window));
  dr_test_gtk_wait_until (at_end, fixture->window, WAIT_MS);

  /* The user scrolls to the top. */
  vadjustment = _dr_log_window_get_vadjustment (fixture->window);
  gtk_adjustment_set_value (vadjustment, 0);
  g_assert_false (get_follow (fixture->window));

  append (fixture, "line 200");
  wait_lines (fixture, 201);
  dr_test_gtk_flush (GTK_WIDGET (fixture->window));
  g_assert_false (_dr_log_window_is_at_end (fixture->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.follow", NULL));
  g_assert_true (get_follow (fixture->window));
  dr_test_gtk_wait_until (at_end, fixture->window, WAIT_MS);

  g_assert_false (_dr_log_window_get_dropped (fixture->window));
  _dr_log_window_set_max_lines (fixture->window, 50);
  g_assert_cmpuint (_dr_log_window_get_n_lines (fixture->window), ==, 50);
  g_assert_true (_dr_log_window_get_dropped (fixture->window));
  text = _dr_log_window_dup_text (fixture->window);
  g_assert_true (g_str_has_prefix (text, "line 151\n"));
  g_assert_true (g_str_has_suffix (text, "\nline 200\n"));

  append (fixture, "line 201");
  append (fixture, "line 202");
  wait_lines (fixture, 50);
  dr_test_gtk_wait_until (at_end, fixture->window, WAIT_MS);
  g_clear_pointer (&text, g_free);
  text = _dr_log_window_dup_text (fixture->window);
  g_assert_true (g_str_has_suffix (text, "\nline 202\n"));
  g_assert_cmpuint (_dr_log_window_get_n_lines (fixture->window), ==, 50);
  g_assert_true (g_str_has_prefix (text, "line 153\n"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.wrap", NULL));
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "log-window-follow");
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Save… writes what the window shows; a failure comes back as an error (a toast in the
 * window). The native dialog itself is left out: there is no portal here. */
static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "runner.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) nowhere = g_file_new_for_path ("/nonexistent/dir/runner.log");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *shown = NULL;

  wait_lines (fixture, 4);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "log.timestamps",
                                             NULL));
  _dr_log_window_save_async (fixture->window, file, NULL, saved_cb, &result);
  dr_test_gtk_wait_until (has_result, &result, WAIT_MS);
  g_assert_true (_dr_log_window_save_finish (fixture->window, result, &error));
  g_assert_no_error (error);

  contents = dr_test_read_file (path);
  shown = _dr_log_window_dup_text (fixture->window);
  g_assert_cmpstr (contents, ==, shown);
  g_assert_true (dr_kube_log_parse_timestamp (contents, NULL, NULL));

  g_clear_object (&result);
  _dr_log_window_save_async (fixture->window, nowhere, NULL, saved_cb, &result);
  dr_test_gtk_wait_until (has_result, &result, WAIT_MS);
  g_assert_false (_dr_log_window_save_finish (fixture->window, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* The pod goes away: the title says the log ended and why, the lines stay. */
static void
test_pod_gone (Fixture       *fixture,
               gconstpointer  data)
{
  wait_lines (fixture, 4);
  dr_fake_apiserver_delete (fixture->server, POD);
  dr_test_gtk_wait_until (stream_ended, fixture->stream, WAIT_MS);
  g_assert_cmpstr (_dr_log_window_get_subtitle (fixture->window), ==, "Ended: pod gone");
  g_assert_cmpuint (_dr_log_window_get_n_lines (fixture->window), ==, 4);
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "log-window-ended");
}

/* Closing the window stops the stream: nothing else reads it. */
static void
test_close_stops (Fixture       *fixture,
                  gconstpointer  data)
{
  wait_lines (fixture, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "window.close",
                                             NULL));
  fixture->window = NULL;
  g_assert_cmpint (dr_kube_log_stream_get_state (fixture->stream), ==,
                   DR_KUBE_LOG_STREAM_STOPPED);
}

/* The log windows open on @parent (NULL: any). */
static GPtrArray *
list_log_windows (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *windows = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DR_IS_LOG_WINDOW (window) &&
          (parent == NULL || gtk_window_get_transient_for (window) == parent))
        g_ptr_array_add (windows, window);
    }
  return windows;
}

static gboolean
engine_sees_pod (gpointer data)
{
  g_autoptr(DrKubeLogStream) stream = dr_engine_follow_runner_log (data, "web-x7k2p-runner-q2w9z",
                                                                    1);

  if (stream != NULL)
    dr_kube_log_stream_stop (stream);
  return stream != NULL;
}

static gboolean
window_has_lines (gpointer data)
{
  return _dr_log_window_get_n_lines (data) >= 1;
}

/* The runner page's Log button on a runner pod, through the main window's action: a log
 * window on that pod, and the same window again on a second click. */
static void
test_from_main_window (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) windows = NULL;
  g_autofree char *ns = NULL;
  g_autofree char *pod = NULL;
  DrKubeContext context = { 0, };
  DrLogWindow *log_window;
  DrWindow *window;

  dr_fake_apiserver_register_defaults (server);
  ns = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                      "\"metadata\":{\"name\":\"arc-runners\"}}");
  pod = dr_fake_apiserver_add (server,
                               "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                               "\"metadata\": {\"name\": \"web-x7k2p-runner-q2w9z\", "
                               "\"namespace\": \"arc-runners\", \"labels\": {"
                               "\"app.kubernetes.io/component\": \"runner\", "
                               "\"actions.github.com/scale-set-name\": \"web\"}}, "
                               "\"spec\": {\"containers\": [{\"name\": \"runner\"}]}, "
                               "\"status\": {\"phase\": \"Running\"}}");
  dr_fake_apiserver_append_log (server, "arc-runners", "web-x7k2p-runner-q2w9z",
                                "Listening for Jobs");

  dr_engine_load (engine);
  window = dr_window_new (NULL, engine);
  gtk_window_present (GTK_WINDOW (window));
  context.context_name = (char *) "fake";
  context.server = (char *) dr_fake_apiserver_get_url (server);
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);
  dr_engine_set_kube_client (engine, client);
  dr_test_gtk_wait_until (engine_sees_pod, engine, WAIT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.pod-log", "s",
                                             "web-x7k2p-runner-q2w9z"));
  windows = list_log_windows (GTK_WINDOW (window));
  g_assert_cmpuint (windows->len, ==, 1);
  log_window = g_ptr_array_index (windows, 0);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (log_window)), ==, "web-x7k2p-runner-q2w9z");
  dr_test_gtk_wait_until (window_has_lines, log_window, WAIT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.pod-log", "s",
                                             "web-x7k2p-runner-q2w9z"));
  g_clear_pointer (&windows, g_ptr_array_unref);
  windows = list_log_windows (GTK_WINDOW (window));
  g_assert_cmpuint (windows->len, ==, 1);

  /* A pod the engine does not know: a toast says so, no window opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.pod-log", "s",
                                             "no-such-pod"));
  g_clear_pointer (&windows, g_ptr_array_unref);
  windows = list_log_windows (GTK_WINDOW (window));
  g_assert_cmpuint (windows->len, ==, 1);

  /* The log windows go with the main window (destroy-with-parent). */
  dr_engine_set_kube_client (engine, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&windows, g_ptr_array_unref);
  windows = list_log_windows (NULL);
  g_assert_cmpuint (windows->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_gtk_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/deskrun/log-window/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("lines", test_lines, some_lines);
  ADD ("timestamps", test_timestamps, some_lines);
  ADD ("search", test_search, some_lines);
  ADD ("follow-and-cap", test_follow_and_cap, NULL);
  ADD ("save", test_save, some_lines);
  ADD ("pod-gone", test_pod_gone, some_lines);
  ADD ("close-stops-stream", test_close_stops, some_lines);
#undef ADD
  g_test_add_func ("/deskrun/log-window/from-main-window", test_from_main_window);

  return g_test_run ();
}
