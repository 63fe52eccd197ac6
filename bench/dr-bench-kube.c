/* dr-bench-kube.c — watch latency and one-shot status against a real API server, beside kubectl
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Uses ../shared/kube-lab (a real kube-apiserver 1.28 with etcd on loopback). The objects are
 * what `deskrunctl render` says deskrun applies for 50 runners, created here by server-side apply
 * over libsoup; 500 unrelated pods sit in the same namespace (no kubelet: they never run). The
 * ARC controller does not run in kube-lab, so the bench writes the scale sets' status itself,
 * through the /status subresource as the controller would.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dr-bench.h"
#include "dr-bench-util.h"

#define N_RUNNERS    50
#define N_UNRELATED  500
#define N_CHANGES    50
#define NAMESPACE    "arc-runners"

static char *lab_dir;
static char *lab_script;

typedef struct
{
  SoupSession  *session;
  GTlsDatabase *database;
  char         *server;
} Api;

static Api api;

static char *
lab_env (const char *env_text,
         const char *name)
{
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  g_auto(GStrv) lines = g_strsplit (env_text, "\n", 0);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        char *value = g_strdup (lines[i] + strlen (prefix));

        /* `kube-lab env` prints shell words; the values here need no unquoting but quotes. */
        g_strdelimit (value, "'\"", ' ');
        return g_strstrip (value);
      }
  return NULL;
}

static GTlsCertificate *client_cert;

static SoupSession *
api_session_new (void)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 30, NULL);

  /* Only the lab's own CA is trusted, as deskrun trusts only the kubeconfig's. */
  soup_session_set_tls_database (session, api.database);
  return session;
}

static void
api_init (const char *env_text)
{
  g_autofree char *ca = lab_env (env_text, "KUBE_LAB_CA");
  g_autofree char *cert = lab_env (env_text, "KUBE_LAB_CLIENT_CERT");
  g_autofree char *key = lab_env (env_text, "KUBE_LAB_CLIENT_KEY");
  g_autoptr(GError) error = NULL;

  api.server = lab_env (env_text, "KUBE_LAB_SERVER");
  api.database = g_tls_file_database_new (ca, &error);
  if (api.database == NULL)
    g_error ("bench: %s", error->message);
  client_cert = g_tls_certificate_new_from_files (cert, key, &error);
  if (client_cert == NULL)
    g_error ("bench: %s", error->message);
  api.session = api_session_new ();
}

/* One request to the lab; returns the status and fills BODY (nullable). */
static guint
api_send_with (SoupSession  *session,
               const char   *method,
               const char   *path,
               const char   *content_type,
               const char   *body,
               GBytes      **out_body)
{
  g_autofree char *url = g_strconcat (api.server, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (msg == NULL)
    g_error ("bench: bad URL %s", url);
  soup_message_set_tls_client_certificate (msg, client_cert);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept",
                               "application/json");
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL)
    g_error ("bench: %s %s: %s", method, path, error->message);
  if (out_body != NULL)
    *out_body = g_steal_pointer (&reply);
  return soup_message_get_status (msg);
}

static const char *
plural_for (const char *kind)
{
  static const char *table[][2] = {
    { "Secret", "secrets" }, { "ServiceAccount", "serviceaccounts" }, { "Role", "roles" },
    { "RoleBinding", "rolebindings" }, { "ConfigMap", "configmaps" }, { "Pod", "pods" },
    { "Namespace", "namespaces" }, { "AutoscalingRunnerSet", "autoscalingrunnersets" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (kind, table[i][0]) == 0)
      return table[i][1];
  return NULL;
}

static guint
api_send (const char  *method,
          const char  *path,
          const char  *content_type,
          const char  *body,
          GBytes     **out_body)
{
  return api_send_with (api.session, method, path, content_type, body, out_body);
}

/* Server-side apply of one object (JSON is YAML), to where its apiVersion and kind live. */
static void
apply_object (JsonObject *object)
{
  const char *api_version = json_object_get_string_member (object, "apiVersion");
  const char *kind = json_object_get_string_member (object, "kind");
  JsonObject *metadata = json_object_get_object_member (object, "metadata");
  const char *name = json_object_get_string_member (metadata, "name");
  const char *ns = json_object_get_string_member_with_default (metadata, "namespace", NAMESPACE);
  const char *plural = plural_for (kind);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *body = json_to_string (node, FALSE);
  g_autofree char *path = NULL;
  guint status;

  if (plural == NULL)
    g_error ("bench: deskrunctl render made a %s; teach the bench its plural", kind);
  if (strchr (api_version, '/') == NULL)
    path = g_strdup_printf ("/api/%s/namespaces/%s/%s/%s", api_version, ns, plural, name);
  else
    path = g_strdup_printf ("/apis/%s/namespaces/%s/%s/%s", api_version, ns, plural, name);
  path = g_strconcat (g_steal_pointer (&path), "?fieldManager=deskrun-bench&force=true", NULL);
  status = api_send ("PATCH", path, "application/apply-patch+yaml", body, NULL);
  if (status >= 300)
    g_error ("bench: applying %s %s: HTTP %u", kind, name, status);
}

static void
create_namespace (const char *name)
{
  g_autofree char *body = g_strdup_printf (
    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", name);
  g_autofree char *path = g_strdup_printf ("/api/v1/namespaces/%s?fieldManager=deskrun-bench", name);

  if (api_send ("PATCH", path, "application/apply-patch+yaml", body, NULL) >= 300)
    g_error ("bench: cannot create namespace %s", name);
}

static GStrv
ctl_env (const char *home)
{
  GStrv env = dr_bench_env ("GSETTINGS_BACKEND", "memory", NULL);

  return dr_bench_home_env (env, home);
}

static void
deploy_runners (const DrBench *bench,
                const char    *home)
{
  g_auto(GStrv) env = ctl_env (home);

  for (guint i = 0; i < N_RUNNERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%02u", i + 1);
      const char *argv[] = { bench->deskrunctl, "render", name, "--json", NULL };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *items;
      DrBenchRun run;

      if (!dr_bench_run (argv, (const char * const *) env, 60, &run, &error))
        g_error ("bench: %s", error->message);
      if (!json_parser_load_from_data (parser, run.out, -1, &error))
        g_error ("bench: deskrunctl render %s: %s", name, error->message);
      items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "items");
      for (guint j = 0; j < json_array_get_length (items); j++)
        apply_object (json_array_get_object_element (items, j));
      dr_bench_run_clear (&run);
    }
}

static void
create_unrelated_pods (void)
{
  for (guint i = 0; i < N_UNRELATED; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"unrelated-%03u\","
        "\"labels\":{\"app\":\"something-else\"}},\"spec\":{\"containers\":[{\"name\":\"main\","
        "\"image\":\"registry.invalid/none:1\"}]}}", i);
      g_autofree char *path = g_strdup_printf (
        "/api/v1/namespaces/" NAMESPACE "/pods/unrelated-%03u?fieldManager=deskrun-bench", i);
      guint status = 0;

      /* The namespace's default ServiceAccount appears a moment after the namespace. */
      for (guint tries = 0; tries < 100; tries++)
        {
          status = api_send ("PATCH", path, "application/apply-patch+yaml", body, NULL);
          if (status < 300)
            break;
          g_usleep (100000);
        }
      if (status >= 300)
        g_error ("bench: cannot create pod unrelated-%03u: HTTP %u", i, status);
    }
}

/* The API server's own request counter, summed over everything but the controller manager's
 * background traffic (leases, events), so a one-shot status can be counted. */
static gint64
count_requests (void)
{
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 total = 0;

  if (api_send ("GET", "/metrics", NULL, NULL, &body) != 200)
    return -1;
  lines = g_strsplit (g_bytes_get_data (body, NULL), "\n", 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space;

      if (!g_str_has_prefix (lines[i], "apiserver_request_total{") ||
          strstr (lines[i], "resource=\"leases\"") || strstr (lines[i], "resource=\"events\""))
        continue;
      if ((space = strrchr (lines[i], ' ')) != NULL)
        total += g_ascii_strtoll (space + 1, NULL, 10);
    }
  return total;
}

/* A child whose standard output is read line by line, without blocking. */
typedef struct
{
  GPid     pid;
  int      fd;
  GString *pending;
} LineChild;

static void
line_child_start (LineChild          *child,
                  const char * const *argv,
                  const char * const *envp)
{
  g_autoptr(GError) error = NULL;
  int fds[2];

  memset (child, 0, sizeof *child);
  child->pending = g_string_new (NULL);
  if (pipe (fds) != 0)
    g_error ("bench: pipe: %s", g_strerror (errno));
  child->pid = fork ();
  if (child->pid == 0)
    {
      dup2 (fds[1], 1);
      close (fds[0]);
      close (fds[1]);
      execve (argv[0], (char * const *) argv, (char * const *) envp);
      _exit (127);
    }
  close (fds[1]);
  child->fd = fds[0];
  /* Reads never wait: poll () says when there is something. */
  fcntl (child->fd, F_SETFL, O_NONBLOCK);
}

/* Takes what the child has written so far, without waiting; FALSE at its end. */
static gboolean
line_child_pump (LineChild *child)
{
  char buf[65536];
  ssize_t n;

  n = read (child->fd, buf, sizeof buf);
  if (n <= 0)
    return FALSE;
  g_string_append_len (child->pending, buf, n);
  return TRUE;
}

/* The next whole line already read, or NULL. */
static char *
line_child_take (LineChild *child)
{
  const char *nl = strchr (child->pending->str, '\n');
  char *line;

  if (nl == NULL)
    return NULL;
  line = g_strndup (child->pending->str, nl - child->pending->str);
  g_string_erase (child->pending, 0, nl - child->pending->str + 1);
  return line;
}

/* The next whole line within TIMEOUT_MS, or NULL. */
static char *
line_child_read (LineChild *child,
                 int        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  char *line;

  while ((line = line_child_take (child)) == NULL)
    {
      struct pollfd pfd = { child->fd, POLLIN, 0 };
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);

      if (left <= 0 || poll (&pfd, 1, left) <= 0 || !line_child_pump (child))
        return NULL;
    }
  return line;
}

static void
line_child_stop (LineChild *child)
{
  if (child->pid > 0)
    {
      kill (child->pid, SIGTERM);
      waitpid (child->pid, NULL, 0);
    }
  if (child->fd > 0)
    close (child->fd);
  g_string_free (child->pending, TRUE);
  child->pid = 0;
}

/* deskrunctl status --watch --json prints a document per change: the first runner's count. */
static gint64
watched_current_runners (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *runners;

  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return -1;
  runners = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "runners");
  for (guint i = 0; runners && i < json_array_get_length (runners); i++)
    {
      JsonObject *runner = json_array_get_object_element (runners, i);
      JsonNode *observed = json_object_get_member (runner, "observed");

      if (g_strcmp0 (json_object_get_string_member (runner, "name"), "bench-01") != 0)
        continue;
      if (observed == NULL || !JSON_NODE_HOLDS_OBJECT (observed))
        return -1;
      return json_object_get_int_member (
        json_object_get_object_member (json_node_get_object (observed), "runners"), "current");
    }
  return -1;
}

/* Patches bench-01's status from its own thread and session, so that the main thread times
 * both watchers' lines as they arrive, also while the patch's reply is still on its way. It
 * takes the value to write from REQUESTS (-1 ends it) and answers the time it sent it. */
typedef struct
{
  GAsyncQueue *requests;
  GAsyncQueue *replies;
} Patcher;

static gpointer
patch_status_thread (gpointer data)
{
  Patcher *patcher = data;
  g_autoptr(SoupSession) session = api_session_new ();
  int value;

  while ((value = GPOINTER_TO_INT (g_async_queue_pop (patcher->requests))) > 0)
    {
      g_autofree char *patch = g_strdup_printf (
        "{\"status\":{\"currentRunners\":%d,\"phase\":\"Running\"}}", value);
      gint64 *sent = g_new (gint64, 1);

      *sent = g_get_monotonic_time ();
      if (api_send_with (session, "PATCH", "/apis/actions.github.com/v1alpha1/namespaces/"
                         NAMESPACE "/autoscalingrunnersets/bench-01/status",
                         "application/merge-patch+json", patch, NULL) >= 300)
        g_error ("bench: status patch refused");
      g_async_queue_push (patcher->replies, sent);
    }
  return NULL;
}

static void
watch_latency (const DrBench *bench,
               const char    *home,
               const char    *kubeconfig)
{
  g_auto(GStrv) env = ctl_env (home);
  const char *ctl_argv[] = { bench->deskrunctl, "--kubeconfig", kubeconfig, "--context",
                             "kube-lab", "status", "--watch", "--json", NULL };
  g_autofree char *kubectl = g_find_program_in_path ("kubectl");
  const char *kubectl_argv[] = { kubectl, "--kubeconfig", kubeconfig, "get",
                                 "autoscalingrunnersets.actions.github.com", "bench-01", "-n",
                                 NAMESPACE, "-w", "-o",
                                 "jsonpath={.status.currentRunners}{\"\\n\"}", NULL };
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  LineChild ctl, kctl = { 0, };
  Patcher patcher;
  GThread *thread;
  char *line;

  dr_bench_say ("watch latency: %d status changes", N_CHANGES);
  line_child_start (&ctl, ctl_argv, (const char * const *) env);
  /* The first document comes once every watch has listed. */
  line = line_child_read (&ctl, 60000);
  if (line == NULL)
    g_error ("bench: deskrunctl status --watch printed nothing in 60 s");
  g_free (line);
  if (kubectl != NULL)
    {
      line_child_start (&kctl, kubectl_argv, (const char * const *) env);
      g_free (line_child_read (&kctl, 30000));  /* the current state, before any change */
    }

  patcher.requests = g_async_queue_new ();
  patcher.replies = g_async_queue_new ();
  thread = g_thread_new ("patch", patch_status_thread, &patcher);
  /* One warm-up change, so the patcher's connection exists before the clock runs. */
  g_async_queue_push (patcher.requests, GINT_TO_POINTER (N_CHANGES + 1));
  g_free (g_async_queue_pop (patcher.replies));
  g_usleep (200000);
  while (line_child_pump (&ctl) && (line = line_child_take (&ctl)) != NULL)
    g_free (line);

  for (int i = 1; i <= N_CHANGES; i++)
    {
      gint64 ours_at = 0, theirs_at = kubectl ? 0 : -1, deadline;
      g_autofree gint64 *sent = NULL;

      g_async_queue_push (patcher.requests, GINT_TO_POINTER (i));
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while ((ours_at == 0 || theirs_at == 0) && g_get_monotonic_time () < deadline)
        {
          struct pollfd pfds[2] = { { ctl.fd, POLLIN, 0 }, { kctl.fd, POLLIN, 0 } };
          gint64 now;

          if (poll (pfds, kubectl ? 2 : 1, 100) <= 0)
            continue;
          now = g_get_monotonic_time ();
          if ((pfds[0].revents & POLLIN) && line_child_pump (&ctl))
            while (ours_at == 0 && (line = line_child_take (&ctl)) != NULL)
              {
                if (watched_current_runners (line) == i)
                  ours_at = now;
                g_free (line);
              }
          if (kubectl && (pfds[1].revents & POLLIN) && line_child_pump (&kctl))
            while (theirs_at == 0 && (line = line_child_take (&kctl)) != NULL)
              {
                if (g_ascii_strtoll (line, NULL, 10) == i)
                  theirs_at = now;
                g_free (line);
              }
        }
      sent = g_async_queue_pop (patcher.replies);
      if (ours_at > 0)
        {
          double ms = (ours_at - *sent) / 1000.0;

          g_array_append_val (ours, ms);
        }
      if (theirs_at > 0)
        {
          double ms = (theirs_at - *sent) / 1000.0;

          g_array_append_val (theirs, ms);
        }
      g_usleep (50000);
    }
  g_async_queue_push (patcher.requests, GINT_TO_POINTER (-1));
  g_thread_join (thread);
  g_async_queue_unref (patcher.requests);
  g_async_queue_unref (patcher.replies);
  line_child_stop (&ctl);
  if (kubectl != NULL)
    line_child_stop (&kctl);

  if (ours->len < N_CHANGES)
    dr_bench_table_note ("deskrunctl status --watch missed %u of %d changes within 10 s",
                         N_CHANGES - ours->len, N_CHANGES);
  dr_bench_table_add ("status change → runner update, median of 50 (deskrunctl status --watch)",
                      "ms", dr_bench_median (ours), kubectl ? dr_bench_median (theirs) : -1,
                      "kubectl get -w");
  dr_bench_table_add ("status change → runner update, max of 50", "ms", dr_bench_max (ours),
                      kubectl ? dr_bench_max (theirs) : -1, "kubectl get -w");
  if (kubectl == NULL)
    dr_bench_table_note ("kubectl is not installed: its columns are empty.");
}

static void
one_shot_status (const DrBench *bench,
                 const char    *home,
                 const char    *kubeconfig)
{
  g_auto(GStrv) env = ctl_env (home);
  const char *ctl_argv[] = { bench->deskrunctl, "--kubeconfig", kubeconfig, "--context",
                             "kube-lab", "status", "--json", NULL };
  g_autofree char *kubectl = g_find_program_in_path ("kubectl");
  const char *kubectl_argv[] = { kubectl, "--kubeconfig", kubeconfig, "get",
                                 "autoscalingrunnersets.actions.github.com,"
                                 "ephemeralrunners.actions.github.com,pods", "-n", NAMESPACE,
                                 "-o", "json", NULL };
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ours_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 before, after;

  dr_bench_say ("one-shot status: %u runs each", bench->runs);
  for (guint i = 0; i < bench->runs; i++)
    {
      g_autoptr(GError) error = NULL;
      DrBenchRun run;
      double ms, mib;
      gint64 t0;

      if (!dr_bench_run (ctl_argv, (const char * const *) env, 60, &run, &error))
        g_error ("bench: %s", error->message);
      if (!WIFEXITED (run.exit_status) || WEXITSTATUS (run.exit_status) != 0)
        dr_bench_say ("deskrunctl status exited with %d", WEXITSTATUS (run.exit_status));
      ms = (run.ended_us - run.started_us) / 1000.0;
      mib = run.max_rss_kib / 1024.0;
      g_array_append_val (ours, ms);
      g_array_append_val (ours_rss, mib);
      dr_bench_run_clear (&run);

      if (kubectl != NULL)
        {
          if (!dr_bench_run (kubectl_argv, (const char * const *) env, 60, &run, &error))
            g_error ("bench: %s", error->message);
          ms = (run.ended_us - run.started_us) / 1000.0;
          mib = run.max_rss_kib / 1024.0;
          g_array_append_val (theirs, ms);
          g_array_append_val (theirs_rss, mib);
          dr_bench_run_clear (&run);
        }

      t0 = g_get_monotonic_time ();
      api_send ("GET", "/apis/actions.github.com/v1alpha1/namespaces/" NAMESPACE
                "/autoscalingrunnersets", NULL, NULL, NULL);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (bare, ms);
    }

  before = count_requests ();
  {
    g_autoptr(GError) error = NULL;
    DrBenchRun run;

    if (dr_bench_run (ctl_argv, (const char * const *) env, 60, &run, &error))
      dr_bench_run_clear (&run);
  }
  after = count_requests ();

  dr_bench_table_add ("deskrunctl status --json, 50 runners + 500 other pods: wall (median)", "ms",
                      dr_bench_median (ours), kubectl ? dr_bench_median (theirs) : -1,
                      "kubectl get ars,er,pods -o json");
  dr_bench_table_add ("the same: peak RSS (median)", "MiB", dr_bench_median (ours_rss),
                      kubectl ? dr_bench_median (theirs_rss) : -1, "kubectl");
  dr_bench_table_add ("the same beside one bare HTTP GET of the scale-set list (libsoup, warm)",
                      "ms", dr_bench_median (ours), dr_bench_median (bare), "bare GET");
  /* The count includes the request that reads the counter the first time. */
  dr_bench_table_add ("API requests made by one deskrunctl status", "",
                      before >= 0 && after >= 0 ? after - before - 1 : -1, -1, NULL);
}

void
dr_bench_kube (const DrBench  *bench,
               char          **out_kubeconfig)
{
  g_autofree char *crds = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *env_text = NULL;
  g_autofree char *kubeconfig = NULL;
  g_autoptr(GError) error = NULL;
  DrBenchRun run;

  lab_script = bench->shared_dir
               ? g_build_filename (bench->shared_dir, "kube-lab", "kube-lab", NULL) : NULL;
  crds = bench->shared_dir
         ? g_build_filename (bench->shared_dir, "fixtures", "arc-crds-0.14.2", NULL) : NULL;
  if (lab_script == NULL || !g_file_test (lab_script, G_FILE_TEST_EXISTS))
    {
      dr_bench_table_note ("../shared/kube-lab is absent: the Kubernetes rows were not measured.");
      return;
    }

  lab_dir = g_dir_make_tmp ("deskrun-bench-lab-XXXXXX", &error);
  dr_bench_say ("starting kube-lab in %s", lab_dir);
  {
    const char *argv[] = { "bash", lab_script, "start", lab_dir, "--crds", crds, NULL };
    g_auto(GStrv) lines = NULL;

    if (!dr_bench_run (argv, NULL, 300, &run, &error) || !WIFEXITED (run.exit_status) ||
        WEXITSTATUS (run.exit_status) != 0)
      g_error ("bench: kube-lab did not start");
    lines = g_strsplit (g_strstrip (run.out), "\n", 0);
    kubeconfig = g_strdup (lines[g_strv_length (lines) - 1]);
    dr_bench_run_clear (&run);
  }
  {
    const char *argv[] = { "bash", lab_script, "env", lab_dir, NULL };

    if (!dr_bench_run (argv, NULL, 60, &run, &error))
      g_error ("bench: kube-lab env: %s", error->message);
    env_text = g_steal_pointer (&run.out);
    dr_bench_run_clear (&run);
  }
  api_init (env_text);

  home = dr_bench_make_home ();
  config_home = g_build_filename (home, ".config", NULL);
  dr_bench_write_config (config_home, N_RUNNERS, "kube-lab");
  create_namespace (NAMESPACE);
  create_namespace ("arc-systems");
  dr_bench_say ("deploying %d runners and %d unrelated pods", N_RUNNERS, N_UNRELATED);
  deploy_runners (bench, home);
  create_unrelated_pods ();

  watch_latency (bench, home, kubeconfig);
  one_shot_status (bench, home, kubeconfig);
  dr_bench_rm_rf (home);
  *out_kubeconfig = g_steal_pointer (&kubeconfig);
}

void
dr_bench_kube_stop (void)
{
  if (lab_dir != NULL)
    {
      const char *argv[] = { "bash", lab_script, "stop", lab_dir, NULL };
      DrBenchRun run;

      if (dr_bench_run (argv, NULL, 60, &run, NULL))
        dr_bench_run_clear (&run);
      dr_bench_rm_rf (lab_dir);
      g_clear_pointer (&lab_dir, g_free);
    }
  g_clear_object (&api.session);
}
