/* test-kube-watch.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrKubeWatch and DrKubeStore against the fake API server: list then watch, live events and
 * their latency, selectors, bookmarks, resuming after a dropped or ended stream, relisting
 * after 410 (HTTP and ERROR event) with only the differences reported, bounded backoff, and
 * stopping; and the fake's watch streams themselves.
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-fake-apiserver.h"
#include "dr-kube-client.h"
#include "dr-kube-store.h"
#include "dr-kube-watch.h"
#include "dr-test-utils.h"

#define WAIT_MS    10000
#define PODS       "/api/v1/namespaces/ci/pods"
#define CONFIGMAPS "/api/v1/namespaces/ci/configmaps"

/* ---- Helpers ----------------------------------------------------------------------------- */

static DrKubeClient *
client_for (DrFakeApiserver *server,
            DrTestPki       *pki)
{
  DrTestKubeCredentials credentials = { 0, };

  if (pki != NULL)
    {
      credentials.ca = pki->ca_pem;
      credentials.cert = pki->client_cert_pem;
      credentials.key = pki->client_key_pem;
    }
  return dr_test_kube_client_new (dr_fake_apiserver_get_url (server), &credentials);
}

static void
add_namespace (DrFakeApiserver *server,
               const char      *name)
{
  g_autofree char *text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                           "\"metadata\":{\"name\":\"%s\"}}", name);
  g_autofree char *path = dr_fake_apiserver_add (server, text);
}

static DrFakeApiserver *
server_new (DrTestPki *pki)
{
  DrFakeApiserver *server;

  server = dr_fake_apiserver_new (pki, pki != NULL ? DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT
                                                   : DR_FAKE_APISERVER_NONE);
  dr_fake_apiserver_register_defaults (server);
  add_namespace (server, "ci");
  add_namespace (server, "other");
  return server;
}

/* A pod; @labels is a JSON object or NULL. Returns its path. */
static char *
add_pod (DrFakeApiserver *server,
         const char      *namespace_,
         const char      *name,
         const char      *labels)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
                          "\"namespace\":\"%s\",\"labels\":%s},\"spec\":{\"containers\":"
                          "[{\"name\":\"runner\",\"image\":\"runner:1\"}]}}",
                          name, namespace_, labels != NULL ? labels : "{}");
  return dr_fake_apiserver_add (server, text);
}

static char *
add_configmap (DrFakeApiserver *server,
               const char      *name)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                          "{\"name\":\"%s\",\"namespace\":\"ci\"},\"data\":{\"k\":\"v\"}}",
                          name);
  return dr_fake_apiserver_add (server, text);
}

static char *
server_rv (DrFakeApiserver *server)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, dr_fake_apiserver_get_resource_version (server));
}

static const char *
str_at (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Watch requests for @path the fake received, from @rv (NULL: any). */
static guint
count_watches (DrFakeApiserver *server,
               const char      *path,
               const char      *rv)
{
  guint count = 0;

  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->method, "GET") && g_str_equal (request->path, path) &&
          g_strcmp0 (g_hash_table_lookup (request->params, "watch"), "true") == 0 &&
          (rv == NULL || g_strcmp0 (g_hash_table_lookup (request->params, "resourceVersion"),
                                    rv) == 0))
        count++;
    }
  return count;
}

static guint
count_lists (DrFakeApiserver *server,
             const char      *path)
{
  guint count = 0;

  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->method, "GET") && g_str_equal (request->path, path) &&
          !g_hash_table_contains (request->params, "watch"))
        count++;
    }
  return count;
}

/* The watch request number @n (from 0) from @rv. */
static const DrFakeRequest *
nth_watch (DrFakeApiserver *server,
           const char      *path,
           const char      *rv,
           guint            n)
{
  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->path, path) &&
          g_strcmp0 (g_hash_table_lookup (request->params, "watch"), "true") == 0 &&
          g_strcmp0 (g_hash_table_lookup (request->params, "resourceVersion"), rv) == 0 &&
          n-- == 0)
        return request;
    }
  g_assert_not_reached ();
}

static const DrFakeRequest *
last_watch (DrFakeApiserver *server,
            const char      *path)
{
  const DrFakeRequest *found = NULL;

  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->path, path) &&
          g_strcmp0 (g_hash_table_lookup (request->params, "watch"), "true") == 0)
        found = request;
    }
  g_assert_nonnull (found);
  return found;
}

/* ---- Recording a store ------------------------------------------------------------------- */

typedef struct
{
  DrKubeStore *store;
  GPtrArray   *log;             /* "added ci/a", "changed ci/b", "removed ci/c", "synced" */
  gint64       last_at;         /* monotonic time of the last entry */
  guint        want;
  gboolean     seen_backing_off;
  char        *backing_off_error;
  gboolean     stop_on_added;
} Recorder;

static char *
key_of (JsonNode *object)
{
  return g_strdup_printf ("%s/%s", str_at (object, "metadata.namespace"),
                          str_at (object, "metadata.name"));
}

static void
record (Recorder   *rec,
        const char *what,
        JsonNode   *object)
{
  g_autofree char *key = object != NULL ? key_of (object) : NULL;

  g_ptr_array_add (rec->log, key != NULL ? g_strdup_printf ("%s %s", what, key)
                                         : g_strdup (what));
  rec->last_at = g_get_monotonic_time ();
}

static void
added_cb (DrKubeStore *store,
          JsonNode    *object,
          Recorder    *rec)
{
  /* Shared, read-only, and already in the store. */
  g_assert_true (json_node_is_immutable (object));
  g_assert_true (dr_kube_store_get (store, str_at (object, "metadata.namespace"),
                                    str_at (object, "metadata.name")) == object);
  g_assert_cmpstr (str_at (object, "kind"), ==, "Pod");
  g_assert_cmpstr (str_at (object, "apiVersion"), ==, "v1");
  record (rec, "added", object);
  if (rec->stop_on_added)
    dr_kube_store_stop (store);
}

static void
changed_cb (DrKubeStore *store,
            JsonNode    *old,
            JsonNode    *new,
            Recorder    *rec)
{
  g_autofree char *old_key = key_of (old);
  g_autofree char *new_key = key_of (new);

  g_assert_cmpstr (old_key, ==, new_key);
  g_assert_cmpstr (str_at (old, "metadata.uid"), ==, str_at (new, "metadata.uid"));
  g_assert_cmpstr (str_at (old, "metadata.resourceVersion"), !=,
                   str_at (new, "metadata.resourceVersion"));
  g_assert_true (dr_kube_store_get (store, str_at (new, "metadata.namespace"),
                                    str_at (new, "metadata.name")) == new);
  record (rec, "changed", new);
}

static void
removed_cb (DrKubeStore *store,
            JsonNode    *object,
            Recorder    *rec)
{
  JsonNode *now = dr_kube_store_get (store, str_at (object, "metadata.namespace"),
                                     str_at (object, "metadata.name"));

  /* Gone, or (removed, then added again) already the new object of that name. */
  g_assert_true (now == NULL ||
                 g_strcmp0 (str_at (now, "metadata.uid"), str_at (object, "metadata.uid")) != 0);
  record (rec, "removed", object);
}

static void
synced_cb (DrKubeStore *store,
           Recorder    *rec)
{
  g_assert_true (dr_kube_store_get_synced (store));
  record (rec, "synced", NULL);
}

static void
state_cb (DrKubeStore *store,
          GParamSpec  *pspec,
          Recorder    *rec)
{
  if (dr_kube_store_get_state (store) == DR_KUBE_STORE_BACKING_OFF)
    {
      rec->seen_backing_off = TRUE;
      g_free (rec->backing_off_error);
      rec->backing_off_error = g_strdup (dr_kube_store_get_last_error (store));
      g_assert_nonnull (rec->backing_off_error);
    }
}

static Recorder *
recorder_new (DrKubeClient            *client,
              const char              *namespace_,
              const DrKubeListOptions *options)
{
  Recorder *rec = g_new0 (Recorder, 1);

  rec->store = dr_kube_store_new (client, "v1", "pods", namespace_, options);
  rec->log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (rec->store, "added", G_CALLBACK (added_cb), rec);
  g_signal_connect (rec->store, "changed", G_CALLBACK (changed_cb), rec);
  g_signal_connect (rec->store, "removed", G_CALLBACK (removed_cb), rec);
  g_signal_connect (rec->store, "synced", G_CALLBACK (synced_cb), rec);
  g_signal_connect (rec->store, "notify::state", G_CALLBACK (state_cb), rec);
  return rec;
}

static void
recorder_free (Recorder *rec)
{
  g_signal_handlers_disconnect_by_data (rec->store, rec);
  g_object_unref (rec->store);
  g_ptr_array_unref (rec->log);
  g_free (rec->backing_off_error);
  g_free (rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* The entries from @from on, joined by ", ". */
static char *
entries (Recorder *rec,
         guint     from)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = from; i < rec->log->len; i++)
    g_string_append_printf (text, "%s%s", i > from ? ", " : "",
                            (const char *) g_ptr_array_index (rec->log, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
has_entries (gpointer data)
{
  Recorder *rec = data;

  return rec->log->len >= rec->want;
}

static void
wait_entries (Recorder *rec,
              guint     n)
{
  rec->want = n;
  dr_test_wait_until (has_entries, rec, WAIT_MS, "store signals");
}

static gboolean
is_watching (gpointer data)
{
  return dr_kube_store_get_state (data) == DR_KUBE_STORE_WATCHING;
}

static void
wait_watching (DrKubeStore *store)
{
  dr_test_wait_until (is_watching, store, WAIT_MS, "the store to watch");
}

/* Starts @rec's store and waits until it has listed (@n objects) and watches. */
static void
start_synced (Recorder *rec,
              guint     n)
{
  g_autofree char *text = NULL;

  dr_kube_store_start (rec->store);
  wait_entries (rec, n + 1);
  text = entries (rec, n);
  g_assert_cmpstr (text, ==, "synced");
  wait_watching (rec->store);
}

typedef struct
{
  DrFakeApiserver *server;
  const char      *path;
  const char      *rv;
  guint            n;
} WatchCount;

static gboolean
has_watches (gpointer data)
{
  WatchCount *count = data;

  return count_watches (count->server, count->path, count->rv) >= count->n;
}

/* ---- The store ---------------------------------------------------------------------------- */

static void
test_store_list_and_watch (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", NULL);
  g_autofree char *pod_c = add_pod (server, "ci", "runner-c", NULL);
  g_autofree char *elsewhere = add_pod (server, "other", "runner-x", NULL);
  g_autofree char *list_rv = server_rv (server);
  g_autofree char *pod_d = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  g_autoptr(GPtrArray) all = NULL;
  const DrFakeRequest *watch;
  guint64 timeout = 0;
  gint64 started;
  double added_ms;
  double changed_ms;
  double removed_ms;
  guint mark;

  g_assert_cmpint (dr_kube_store_get_state (rec->store), ==, DR_KUBE_STORE_STOPPED);
  g_assert_false (dr_kube_store_get_synced (rec->store));
  g_assert_cmpstr (dr_kube_store_get_path (rec->store), ==, PODS);

  start_synced (rec, 3);
  text = entries (rec, 0);
  g_assert_cmpstr (text, ==, "added ci/runner-a, added ci/runner-b, added ci/runner-c, synced");
  g_assert_true (dr_kube_store_get_synced (rec->store));
  g_assert_cmpuint (dr_kube_store_get_n_objects (rec->store), ==, 3);
  g_assert_null (dr_kube_store_get (rec->store, "other", "runner-x"));
  g_assert_cmpstr (dr_kube_store_get_resource_version (rec->store), ==, list_rv);
  g_assert_null (dr_kube_store_get_last_error (rec->store));

  all = dr_kube_store_list (rec->store);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (str_at (g_ptr_array_index (all, 0), "metadata.name"), ==, "runner-a");
  g_assert_cmpstr (str_at (g_ptr_array_index (all, 2), "metadata.name"), ==, "runner-c");

  /* One list, then a watch from its resourceVersion with bookmarks and a server timeout. */
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);
  g_assert_cmpuint (count_watches (server, PODS, NULL), ==, 1);
  watch = last_watch (server, PODS);
  g_assert_cmpstr (g_hash_table_lookup (watch->params, "resourceVersion"), ==, list_rv);
  g_assert_cmpstr (g_hash_table_lookup (watch->params, "allowWatchBookmarks"), ==, "true");
  g_assert_true (g_ascii_string_to_unsigned (g_hash_table_lookup (watch->params,
                                                                   "timeoutSeconds"),
                                             10, 300, 600, &timeout, NULL));
  g_assert_cmpuint (watch->status, ==, 200);
  g_assert_cmpuint (dr_fake_apiserver_get_n_watches (server), ==, 1);

  /* Live changes arrive by themselves, fast. */
  mark = rec->log->len;
  started = g_get_monotonic_time ();
  pod_d = add_pod (server, "ci", "runner-d", NULL);
  wait_entries (rec, mark + 1);
  added_ms = (rec->last_at - started) / 1000.0;

  started = g_get_monotonic_time ();
  dr_fake_apiserver_patch (server, pod_b, "{\"metadata\":{\"labels\":{\"busy\":\"yes\"}}}");
  wait_entries (rec, mark + 2);
  changed_ms = (rec->last_at - started) / 1000.0;

  started = g_get_monotonic_time ();
  dr_fake_apiserver_delete (server, pod_c);
  wait_entries (rec, mark + 3);
  removed_ms = (rec->last_at - started) / 1000.0;

  g_test_message ("watch latency: added %.2f ms, changed %.2f ms, removed %.2f ms",
                  added_ms, changed_ms, removed_ms);
  g_assert_cmpfloat (added_ms, <, 500);
  g_assert_cmpfloat (changed_ms, <, 500);
  g_assert_cmpfloat (removed_ms, <, 500);

  /* Another namespace is another store's business; this one's next event is the next line. */
  dr_fake_apiserver_patch (server, elsewhere, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
  dr_fake_apiserver_patch (server, pod_a, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
  wait_entries (rec, mark + 4);
  g_clear_pointer (&text, g_free);
  text = entries (rec, mark);
  g_assert_cmpstr (text, ==, "added ci/runner-d, changed ci/runner-b, removed ci/runner-c, "
                   "changed ci/runner-a");
  g_assert_cmpstr (str_at (dr_kube_store_get (rec->store, "ci", "runner-b"),
                           "metadata.labels.busy"), ==, "yes");
  g_clear_pointer (&text, g_free);
  text = server_rv (server);
  g_assert_cmpstr (dr_kube_store_get_resource_version (rec->store), ==, text);
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);
  g_assert_cmpuint (count_watches (server, PODS, NULL), ==, 1);

  dr_kube_store_stop (rec->store);
  g_assert_cmpint (dr_kube_store_get_state (rec->store), ==, DR_KUBE_STORE_STOPPED);
  g_assert_false (dr_kube_store_get_synced (rec->store));
  /* The contents stay readable. */
  g_assert_cmpuint (dr_kube_store_get_n_objects (rec->store), ==, 3);
}

static void
test_store_all_namespaces_tls (void)
{
  g_autoptr(DrTestPki) pki = dr_test_pki_new ("watch");
  g_autoptr(DrFakeApiserver) server = server_new (pki);
  g_autoptr(DrKubeClient) client = client_for (server, pki);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_x = add_pod (server, "other", "runner-x", NULL);
  g_autofree char *pod_y = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, NULL, NULL);

  /* Over TLS with a client certificate: the watch session has the client's credentials. */
  start_synced (rec, 2);
  text = entries (rec, 0);
  g_assert_cmpstr (text, ==, "added ci/runner-a, added other/runner-x, synced");
  g_assert_cmpuint (count_watches (server, "/api/v1/pods", NULL), ==, 1);

  pod_y = add_pod (server, "other", "runner-y", NULL);
  wait_entries (rec, 4);
  g_assert_nonnull (dr_kube_store_get (rec->store, "other", "runner-y"));
}

static void
test_store_selectors (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", "{\"app\":\"runner\"}");
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", "{\"app\":\"listener\"}");
  g_autofree char *pod_c = add_pod (server, "ci", "runner-c", "{\"app\":\"runner\"}");
  g_autofree char *pod_d = NULL;
  g_autofree char *pod_e = NULL;
  g_autofree char *text = NULL;
  DrKubeListOptions by_label = { .label_selector = "app=runner", .limit = 1 };
  DrKubeListOptions by_name = { .field_selector = "metadata.name=runner-b" };
  g_autoptr(Recorder) labelled = recorder_new (client, "ci", &by_label);
  g_autoptr(Recorder) named = recorder_new (client, "ci", &by_name);
  const DrFakeRequest *watch;

  start_synced (labelled, 2);
  start_synced (named, 1);
  text = entries (labelled, 0);
  g_assert_cmpstr (text, ==, "added ci/runner-a, added ci/runner-c, synced");
  g_clear_pointer (&text, g_free);
  text = entries (named, 0);
  g_assert_cmpstr (text, ==, "added ci/runner-b, synced");
  /* Page size 1: the label store listed its two pods in two pages. */
  g_assert_cmpuint (count_lists (server, PODS), ==, 2 + 1);

  watch = last_watch (server, PODS);
  g_assert_cmpstr (g_hash_table_lookup (watch->params, "fieldSelector"), ==,
                   "metadata.name=runner-b");
  g_assert_cmpuint (count_watches (server, PODS, NULL), ==, 2);

  /* A new match, a new non-match; a pod that stops matching goes; one that starts, comes. */
  pod_d = add_pod (server, "ci", "runner-d", "{\"app\":\"listener\"}");
  pod_e = add_pod (server, "ci", "runner-e", "{\"app\":\"runner\"}");
  dr_fake_apiserver_patch (server, pod_a, "{\"metadata\":{\"labels\":{\"app\":\"gone\"}}}");
  dr_fake_apiserver_patch (server, pod_b, "{\"metadata\":{\"labels\":{\"app\":\"runner\"}}}");
  dr_fake_apiserver_patch (server, pod_b, "{\"metadata\":{\"labels\":{\"tier\":\"x\"}}}");
  wait_entries (labelled, 3 + 4);
  g_clear_pointer (&text, g_free);
  text = entries (labelled, 3);
  g_assert_cmpstr (text, ==, "added ci/runner-e, removed ci/runner-a, added ci/runner-b, "
                   "changed ci/runner-b");
  wait_entries (named, 2 + 2);
  g_clear_pointer (&text, g_free);
  text = entries (named, 2);
  g_assert_cmpstr (text, ==, "changed ci/runner-b, changed ci/runner-b");
  g_assert_cmpuint (dr_kube_store_get_n_objects (labelled->store), ==, 3);
}

static void
test_store_bookmarks (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *cm_1 = NULL;
  g_autofree char *cm_2 = NULL;
  g_autofree char *bookmark_rv = NULL;
  g_autofree char *list_rv = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  WatchCount count = { server, PODS, NULL, 1 };

  start_synced (rec, 1);
  list_rv = g_strdup (dr_kube_store_get_resource_version (rec->store));

  /* Writes elsewhere move the server's resourceVersion; a bookmark tells the watch. */
  cm_1 = add_configmap (server, "one");
  cm_2 = add_configmap (server, "two");
  bookmark_rv = server_rv (server);
  g_assert_cmpstr (bookmark_rv, !=, list_rv);
  dr_fake_apiserver_send_bookmark (server);

  while (g_strcmp0 (dr_kube_store_get_resource_version (rec->store), bookmark_rv) != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (rec->log->len, ==, 2);             /* nothing emitted */
  g_assert_cmpuint (dr_kube_store_get_n_objects (rec->store), ==, 1);

  /* A dropped watch resumes from the bookmark, not from the list. */
  dr_fake_apiserver_drop_watches (server);
  count.rv = bookmark_rv;
  dr_test_wait_until (has_watches, &count, WAIT_MS, "a watch from the bookmark");
  wait_watching (rec->store);
  g_assert_cmpuint (count_watches (server, PODS, list_rv), ==, 1);
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);
  g_assert_cmpuint (rec->log->len, ==, 2);
}

static void
test_store_resume (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = NULL;
  g_autofree char *last_rv = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  WatchCount count = { server, PODS, NULL, 1 };

  start_synced (rec, 1);
  pod_b = add_pod (server, "ci", "runner-b", NULL);
  wait_entries (rec, 3);
  last_rv = g_strdup (dr_kube_store_get_resource_version (rec->store));

  /* The connection breaks; meanwhile runner-a changes. */
  g_assert_cmpuint (dr_fake_apiserver_drop_watches (server), ==, 1);
  dr_fake_apiserver_patch (server, pod_a, "{\"metadata\":{\"labels\":{\"while\":\"away\"}}}");
  wait_entries (rec, 4);
  text = entries (rec, 2);
  g_assert_cmpstr (text, ==, "added ci/runner-b, changed ci/runner-a");
  g_assert_cmpstr (str_at (dr_kube_store_get (rec->store, "ci", "runner-a"),
                           "metadata.labels.while"), ==, "away");
  /* Resumed from the last resourceVersion seen, without listing again. */
  count.rv = last_rv;
  dr_test_wait_until (has_watches, &count, WAIT_MS, "a watch from the last version");
  g_assert_cmpuint (count_watches (server, PODS, NULL), ==, 2);
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);

  /* The server ends the stream cleanly (its timeoutSeconds): the same. */
  wait_watching (rec->store);
  g_clear_pointer (&last_rv, g_free);
  last_rv = g_strdup (dr_kube_store_get_resource_version (rec->store));
  g_assert_cmpuint (dr_fake_apiserver_end_watches (server), ==, 1);
  dr_fake_apiserver_delete (server, pod_b);
  wait_entries (rec, 5);
  g_clear_pointer (&text, g_free);
  text = entries (rec, 4);
  g_assert_cmpstr (text, ==, "removed ci/runner-b");
  g_assert_cmpuint (count_watches (server, PODS, last_rv), ==, 1);
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);
}

static void
relist_after_compaction (DrFakeExpiredStyle style)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", NULL);
  g_autofree char *pod_c = add_pod (server, "ci", "runner-c", NULL);
  g_autofree char *pod_d = add_pod (server, "ci", "runner-d", NULL);
  g_autofree char *pod_e = NULL;
  g_autofree char *pod_f = NULL;
  g_autofree char *old_rv = NULL;
  g_autofree char *new_rv = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  JsonNode *unchanged_a;
  const DrFakeRequest *expired;
  guint removed = 0;

  dr_fake_apiserver_set_expired_style (server, style);
  start_synced (rec, 4);
  old_rv = g_strdup (dr_kube_store_get_resource_version (rec->store));
  unchanged_a = dr_kube_store_get (rec->store, "ci", "runner-a");

  /* An outage long enough for the server to forget: b is deleted, c changes, e and f come
   * (f twice), a and d stay as they were. */
  dr_fake_apiserver_drop_watches (server);
  dr_fake_apiserver_delete (server, pod_b);
  dr_fake_apiserver_patch (server, pod_c, "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}");
  pod_e = add_pod (server, "ci", "runner-e", NULL);
  pod_f = add_pod (server, "ci", "runner-f", NULL);
  dr_fake_apiserver_patch (server, pod_f, "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}");
  dr_fake_apiserver_compact (server);
  new_rv = server_rv (server);

  wait_entries (rec, 5 + 4);
  wait_watching (rec->store);
  text = entries (rec, 5);
  g_assert_cmpstr (text, ==, "removed ci/runner-b, changed ci/runner-c, added ci/runner-e, "
                   "added ci/runner-f");
  for (guint i = 0; i < rec->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (rec->log, i), "removed"))
      removed++;
  g_assert_cmpuint (removed, ==, 1);
  /* Unchanged objects keep the very node handed out before. */
  g_assert_true (dr_kube_store_get (rec->store, "ci", "runner-a") == unchanged_a);
  g_assert_cmpuint (dr_kube_store_get_n_objects (rec->store), ==, 5);

  /* The watch from the old version was refused (the first one from it was the watch after the
   * first list), the store listed again and watches from the new list's version. */
  g_assert_cmpuint (count_watches (server, PODS, old_rv), ==, 2);
  expired = nth_watch (server, PODS, old_rv, 1);
  g_assert_cmpuint (expired->status, ==, style == DR_FAKE_EXPIRED_HTTP ? 410 : 200);
  g_assert_cmpstr (g_hash_table_lookup (last_watch (server, PODS)->params, "resourceVersion"),
                   ==, new_rv);
  g_assert_cmpuint (count_lists (server, PODS), ==, 2);
  g_assert_cmpstr (dr_kube_store_get_resource_version (rec->store), ==, new_rv);

  /* And it keeps watching. */
  dr_fake_apiserver_delete (server, pod_a);
  wait_entries (rec, 10);
  g_clear_pointer (&text, g_free);
  text = entries (rec, 9);
  g_assert_cmpstr (text, ==, "removed ci/runner-a");
}

static void
test_store_relist_event (void)
{
  relist_after_compaction (DR_FAKE_EXPIRED_EVENT);
}

static void
test_store_relist_http (void)
{
  relist_after_compaction (DR_FAKE_EXPIRED_HTTP);
}

static void
test_store_relist_recreated (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *again = NULL;
  g_autofree char *old_uid = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);

  start_synced (rec, 1);
  old_uid = g_strdup (str_at (dr_kube_store_get (rec->store, "ci", "runner-a"), "metadata.uid"));

  /* Deleted and created again under the same name while the store could not see it. */
  dr_fake_apiserver_drop_watches (server);
  dr_fake_apiserver_delete (server, pod_a);
  again = add_pod (server, "ci", "runner-a", NULL);
  dr_fake_apiserver_compact (server);

  wait_entries (rec, 4);
  text = entries (rec, 2);
  g_assert_cmpstr (text, ==, "removed ci/runner-a, added ci/runner-a");
  g_assert_cmpstr (str_at (dr_kube_store_get (rec->store, "ci", "runner-a"), "metadata.uid"),
                   !=, old_uid);
}

static gboolean
recovered (gpointer data)
{
  Recorder *rec = data;

  return rec->seen_backing_off && dr_kube_store_get_state (rec->store) == DR_KUBE_STORE_WATCHING;
}

static void
test_store_backoff (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = NULL;
  g_autofree char *pod_c = NULL;
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  guint before;
  gint64 started;
  double elapsed;

  start_synced (rec, 1);
  pod_b = add_pod (server, "ci", "runner-b", NULL);
  wait_entries (rec, 3);

  /* The server refuses the next three watches. A watch that delivered is resumed at once;
   * then the store waits 0.5 s, 1 s, 2 s: four attempts in about 3.5 s, not a spin. */
  before = count_watches (server, PODS, NULL);
  for (guint i = 0; i < 3; i++)
    dr_fake_apiserver_fail_next (server, 503, "the API server is busy", -1);
  started = g_get_monotonic_time ();
  dr_fake_apiserver_drop_watches (server);
  dr_test_wait_until (recovered, rec, WAIT_MS, "the store to back off and recover");
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  g_test_message ("4 watch attempts in %.2f s while the server refused", elapsed);
  g_assert_cmpuint (count_watches (server, PODS, NULL) - before, ==, 4);
  g_assert_cmpfloat (elapsed, >=, 3.4);
  g_assert_cmpfloat (elapsed, <, 8.0);
  g_assert_nonnull (strstr (rec->backing_off_error, "the API server is busy"));
  g_assert_null (dr_kube_store_get_last_error (rec->store));
  g_assert_cmpuint (count_lists (server, PODS), ==, 1);

  /* A healthy watch resets the backoff: the next drop is resumed at once. */
  pod_c = add_pod (server, "ci", "runner-c", NULL);
  wait_entries (rec, 4);
  before = count_watches (server, PODS, NULL);
  rec->seen_backing_off = FALSE;
  started = g_get_monotonic_time ();
  dr_fake_apiserver_drop_watches (server);
  dr_fake_apiserver_patch (server, pod_a, "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}");
  wait_entries (rec, 5);
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("resumed after a healthy watch in %.3f s", elapsed);
  g_assert_cmpfloat (elapsed, <, 0.5);
  g_assert_false (rec->seen_backing_off);
  g_assert_cmpuint (count_watches (server, PODS, NULL) - before, ==, 1);
}

static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
}

/* An outage, then a watch that the server accepts but that stays quiet (no event, no
 * bookmark): the backoff starts again from 0.5 s at the next outage instead of going on from
 * where the first left off. */
static void
test_store_backoff_reset (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);
  gint64 started;
  double elapsed;

  start_synced (rec, 1);
  /* A first outage: three refusals make the waits grow to 2 s. */
  for (guint i = 0; i < 3; i++)
    dr_fake_apiserver_fail_next (server, 503, "the API server is busy", -1);
  dr_fake_apiserver_drop_watches (server);
  dr_test_wait_until (recovered, rec, WAIT_MS, "the store to recover from the first outage");

  /* Back and quiet for a while: then a second, short outage. */
  spin_ms (2500);
  rec->seen_backing_off = FALSE;
  dr_fake_apiserver_fail_next (server, 503, "the API server is busy", -1);
  started = g_get_monotonic_time ();
  dr_fake_apiserver_drop_watches (server);
  dr_test_wait_until (recovered, rec, WAIT_MS, "the store to recover from the second outage");
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("recovered from the second outage in %.2f s", elapsed);
  /* 0.5 s, then 1 s; without the reset 4 s, then 8 s. */
  g_assert_cmpfloat (elapsed, <, 3.5);
  g_assert_null (dr_kube_store_get_last_error (rec->store));
}

static gboolean
backing_off (gpointer data)
{
  return dr_kube_store_get_state (data) == DR_KUBE_STORE_BACKING_OFF;
}

static void
test_store_list_failure (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autoptr(Recorder) rec = recorder_new (client, "ci", NULL);

  /* A list that is not one: no assertion, a wait, another list. */
  dr_fake_apiserver_reply_next (server, 200, "application/json",
                                "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},"
                                "\"items\":[{\"metadata\":{}}]}");
  dr_kube_store_start (rec->store);
  dr_test_wait_until (backing_off, rec->store, WAIT_MS, "the store to back off");
  g_assert_nonnull (strstr (dr_kube_store_get_last_error (rec->store), "not an object with a"));
  g_assert_false (dr_kube_store_get_synced (rec->store));
  g_assert_cmpuint (rec->log->len, ==, 0);

  wait_entries (rec, 2);
  g_assert_cmpuint (count_lists (server, PODS), ==, 2);
}

static void
test_store_stop (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", NULL);
  g_autofree char *pod_c = add_pod (server, "ci", "runner-c", NULL);
  g_autofree char *pod_d = NULL;
  g_autoptr(Recorder) stopped = recorder_new (client, "ci", NULL);
  g_autoptr(Recorder) control = recorder_new (client, "ci", NULL);
  g_autoptr(Recorder) in_handler = recorder_new (client, "ci", NULL);
  g_autoptr(Recorder) listing = recorder_new (client, "ci", NULL);
  g_autoptr(Recorder) waiting = recorder_new (client, "ci", NULL);
  g_autoptr(Recorder) control2 = recorder_new (client, "ci", NULL);
  g_autofree char *text = NULL;
  gboolean reached = FALSE;
  guint lists;

  /* Stopped while watching: nothing more, while another store sees everything. */
  start_synced (stopped, 3);
  start_synced (control, 3);
  dr_kube_store_stop (stopped->store);
  dr_kube_store_stop (stopped->store);
  g_assert_cmpint (dr_kube_store_get_state (stopped->store), ==, DR_KUBE_STORE_STOPPED);
  pod_d = add_pod (server, "ci", "runner-d", NULL);
  dr_fake_apiserver_delete (server, pod_a);
  dr_fake_apiserver_send_bookmark (server);
  wait_entries (control, 6);
  g_assert_cmpuint (stopped->log->len, ==, 4);

  /* Started again, it lists and reports only what differs. */
  dr_kube_store_start (stopped->store);
  wait_entries (stopped, 4 + 3);
  text = entries (stopped, 4);
  g_assert_cmpstr (text, ==, "removed ci/runner-a, added ci/runner-d, synced");

  /* Stopped from a signal handler: the rest of the batch is not emitted. */
  in_handler->stop_on_added = TRUE;
  dr_kube_store_start (in_handler->store);
  wait_entries (in_handler, 1);
  g_assert_cmpint (dr_kube_store_get_state (in_handler->store), ==, DR_KUBE_STORE_STOPPED);

  /* Stopped while its list hangs: the answer never matters. */
  dr_fake_apiserver_hang_next (server, &reached);
  dr_kube_store_start (listing->store);
  dr_test_wait_for_flag (&reached, WAIT_MS);
  dr_kube_store_stop (listing->store);

  /* Stopped while it waits to retry: the wait is gone. A store that failed at the same time
   * and was started later retries, then lists; the stopped one never does. */
  dr_fake_apiserver_fail_next (server, 500, "broken", -1);
  dr_fake_apiserver_fail_next (server, 500, "broken", -1);
  lists = count_lists (server, PODS);
  dr_kube_store_start (waiting->store);
  dr_test_wait_until (backing_off, waiting->store, WAIT_MS, "the store to back off");
  dr_kube_store_start (control2->store);
  dr_test_wait_until (backing_off, control2->store, WAIT_MS, "the control to back off");
  dr_kube_store_stop (waiting->store);
  start_synced (control2, 3);
  g_assert_cmpuint (count_lists (server, PODS) - lists, ==, 3);

  g_assert_cmpuint (in_handler->log->len, ==, 1);
  g_assert_cmpuint (listing->log->len, ==, 0);
  g_assert_cmpuint (waiting->log->len, ==, 0);
  g_assert_cmpint (dr_kube_store_get_state (waiting->store), ==, DR_KUBE_STORE_STOPPED);
  g_assert_null (dr_kube_store_get_last_error (waiting->store));
}

typedef struct
{
  DrFakeApiserver *server;
  const char      *path;
  guint            n;
} ListCount;

static gboolean
has_lists (gpointer data)
{
  ListCount *count = data;

  return count_lists (count->server, count->path) >= count->n;
}

static void
test_store_dispose (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = NULL;
  g_autoptr(Recorder) control = recorder_new (client, "ci", NULL);
  DrKubeStore *store = dr_kube_store_new (client, "v1", "pods", "ci", NULL);
  DrKubeStore *listing = dr_kube_store_new (client, "v1", "pods", "ci", NULL);
  ListCount lists = { server, PODS, 0 };

  /* The last reference goes while watching, or while a list is on its way: no request keeps
   * a store alive, and none calls back into a finalized one. */
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_add_weak_pointer (G_OBJECT (listing), (gpointer *) &listing);
  dr_kube_store_start (store);
  dr_test_wait_until (is_watching, store, WAIT_MS, "the store to watch");
  g_object_unref (store);
  g_assert_null (store);

  /* Let go once the server has the list request, before the answer is read. */
  dr_kube_store_start (listing);
  lists.n = count_lists (server, PODS) + 1;
  dr_test_wait_until (has_lists, &lists, WAIT_MS, "the list request");
  g_object_unref (listing);
  g_assert_null (listing);

  start_synced (control, 1);
  pod_b = add_pod (server, "ci", "runner-b", NULL);
  wait_entries (control, 3);
}

/* ---- A single watch ---------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *events;
  gboolean   opened;
  gboolean   closed;
  GError    *error;
} WatchLog;

static void
watch_opened_cb (DrKubeWatch *watch,
                 WatchLog    *log)
{
  g_assert_false (log->opened);
  log->opened = TRUE;
}

static void
watch_event_cb (DrKubeWatch          *watch,
                DrKubeWatchEventType  type,
                JsonNode             *object,
                WatchLog             *log)
{
  g_autoptr(GEnumClass) types = g_type_class_ref (DR_TYPE_KUBE_WATCH_EVENT_TYPE);

  g_assert_false (log->closed);
  g_ptr_array_add (log->events,
                   g_strdup_printf ("%s %s", g_enum_get_value (types, type)->value_nick,
                                    type == DR_KUBE_WATCH_BOOKMARK
                                    ? str_at (object, "metadata.resourceVersion")
                                    : str_at (object, "metadata.name")));
}

static void
watch_closed_cb (DrKubeWatch  *watch,
                 const GError *error,
                 WatchLog     *log)
{
  g_assert_false (log->closed);
  log->closed = TRUE;
  log->error = error != NULL ? g_error_copy (error) : NULL;
}

static DrKubeWatch *
watch_new (DrKubeClient *client,
           const char   *rv,
           WatchLog     *log)
{
  DrKubeWatch *watch = dr_kube_watch_new (client, PODS, NULL, rv, 0);

  log->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (watch, "opened", G_CALLBACK (watch_opened_cb), log);
  g_signal_connect (watch, "event", G_CALLBACK (watch_event_cb), log);
  g_signal_connect (watch, "closed", G_CALLBACK (watch_closed_cb), log);
  dr_kube_watch_start (watch);
  return watch;
}

static void
watch_log_clear (WatchLog *log)
{
  g_clear_pointer (&log->events, g_ptr_array_unref);
  g_clear_error (&log->error);
  log->opened = log->closed = FALSE;
}

static GError *
watch_reply (DrFakeApiserver *server,
             DrKubeClient    *client,
             guint            status,
             const char      *body)
{
  g_autoptr(DrKubeWatch) watch = NULL;
  WatchLog log = { 0, };
  GError *error;

  dr_fake_apiserver_reply_next (server, status, "application/json", body);
  watch = watch_new (client, "1", &log);
  dr_test_wait_for_flag (&log.closed, WAIT_MS);
  error = g_steal_pointer (&log.error);
  watch_log_clear (&log);
  return error;
}

static void
test_watch (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", NULL);
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", NULL);
  g_autofree char *pod_c = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rv = NULL;
  g_autofree char *huge = NULL;
  g_autoptr(DrKubeWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  WatchLog log = { 0, };

  /* Without a resourceVersion: the current state first, then what happens. */
  watch = watch_new (client, NULL, &log);
  dr_test_wait_for_flag (&log.opened, WAIT_MS);
  pod_c = add_pod (server, "ci", "runner-c", NULL);
  dr_fake_apiserver_delete (server, pod_a);
  rv = server_rv (server);
  dr_fake_apiserver_send_bookmark (server);
  while (log.events->len < 5)
    g_main_context_iteration (NULL, TRUE);
  g_ptr_array_add (log.events, NULL);
  text = g_strjoinv (", ", (char **) log.events->pdata);
  expected = g_strdup_printf ("added runner-a, added runner-b, added runner-c, "
                              "deleted runner-a, bookmark %s", rv);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpstr (dr_kube_watch_get_resource_version (watch), ==, rv);
  g_assert_cmpuint (dr_kube_watch_get_n_events (watch), ==, 5);

  /* Stopped: nothing more (the deletion below would otherwise be an event). */
  dr_kube_watch_stop (watch);
  dr_fake_apiserver_delete (server, pod_b);
  g_assert_false (log.closed);
  g_clear_object (&watch);
  watch_log_clear (&log);

  /* The server ends the stream: closed without an error. */
  watch = watch_new (client, rv, &log);
  dr_test_wait_for_flag (&log.opened, WAIT_MS);
  dr_fake_apiserver_end_watches (server);
  dr_test_wait_for_flag (&log.closed, WAIT_MS);
  g_assert_no_error (log.error);
  g_assert_cmpuint (log.events->len, ==, 1);          /* runner-b's deletion */
  g_clear_object (&watch);
  watch_log_clear (&log);

  /* The connection breaks: closed. (libsoup reports a connection closed between two chunks
   * as the end of the body, and one closed inside a chunk as G_IO_ERROR_PARTIAL_INPUT; the
   * store resumes either way.) */
  watch = watch_new (client, NULL, &log);
  dr_test_wait_for_flag (&log.opened, WAIT_MS);
  dr_fake_apiserver_drop_watches (server);
  dr_test_wait_for_flag (&log.closed, WAIT_MS);
  g_test_message ("a dropped watch: %s", log.error != NULL ? log.error->message : "clean end");
  g_assert_false (g_error_matches (log.error, DR_ERROR, DR_ERROR_GONE));
  g_clear_object (&watch);
  watch_log_clear (&log);

  /* Replies that are not watches: errors, never assertions. */
  error = watch_reply (server, client, 410, "{\"kind\":\"Status\",\"code\":410}");
  g_assert_error (error, DR_ERROR, DR_ERROR_GONE);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "{\"type\":\"ERROR\",\"object\":{\"kind\":"
                       "\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":"
                       "\"too old\"}}\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_GONE);
  g_assert_nonnull (strstr (error->message, "too old"));
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "{\"type\":\"ERROR\",\"object\":{\"kind\":"
                       "\"Status\",\"code\":500,\"message\":\"etcd is down\"}}\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_SERVER);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "this is not JSON\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "[1, 2]\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "{\"type\":\"ADDED\"}\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "{\"type\":\"ADDED\",\"object\":{\"metadata\":"
                       "{\"resourceVersion\":\"5\"}}}\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = watch_reply (server, client, 200, "{\"type\":\"RENAMED\",\"object\":{}}\n");
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  error = watch_reply (server, client, 403, "{\"kind\":\"Status\",\"code\":403,"
                       "\"message\":\"pods is forbidden\"}");
  g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "pods is forbidden"));
  g_clear_error (&error);

  /* A line without an end is not buffered without bound. */
  huge = g_malloc (DR_KUBE_WATCH_MAX_EVENT_SIZE + 2);
  memset (huge, 'x', DR_KUBE_WATCH_MAX_EVENT_SIZE + 1);
  huge[DR_KUBE_WATCH_MAX_EVENT_SIZE + 1] = '\0';
  error = watch_reply (server, client, 200, huge);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  /* Blank keep-alive lines are nothing; a clean end is no error. */
  error = watch_reply (server, client, 200, "\n\r\n  \t \r\n \n{\"type\":\"BOOKMARK\","
                       "\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n");
  g_assert_no_error (error);
}

/* A watch still open after the server should have ended it (timeoutSeconds) is a dead
 * connection: it closes with G_IO_ERROR_TIMED_OUT instead of waiting for ever. */
static void
test_watch_deadline (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pod = add_pod (server, "ci", "runner-a", NULL);
  g_autoptr(DrKubeWatch) watch = NULL;
  WatchLog log = { 0, };
  gint64 opened_at;
  gint64 closed_after;

  log.events = g_ptr_array_new_with_free_func (g_free);
  dr_fake_apiserver_set_silent_watches (server, TRUE);
  watch = dr_kube_watch_new (client, PODS, NULL, NULL, 1);
  dr_kube_watch_set_grace_seconds (watch, 1);
  g_signal_connect (watch, "opened", G_CALLBACK (watch_opened_cb), &log);
  g_signal_connect (watch, "event", G_CALLBACK (watch_event_cb), &log);
  g_signal_connect (watch, "closed", G_CALLBACK (watch_closed_cb), &log);
  dr_kube_watch_start (watch);
  dr_test_wait_for_flag (&log.opened, WAIT_MS);
  opened_at = g_get_monotonic_time ();
  dr_test_wait_for_flag (&log.closed, WAIT_MS);
  closed_after = g_get_monotonic_time () - opened_at;

  g_assert_error (log.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (log.error->message, dr_fake_apiserver_get_url (server)));
  g_assert_cmpuint (log.events->len, ==, 1);         /* runner-a, before the silence */
  g_assert_cmpint (closed_after, >=, G_USEC_PER_SEC);
  g_assert_cmpint (closed_after, <, 10 * G_USEC_PER_SEC);
  watch_log_clear (&log);

  /* Without a timeout there is nothing to hold the server to: no deadline. */
  g_clear_object (&watch);
  log.events = g_ptr_array_new_with_free_func (g_free);
  watch = dr_kube_watch_new (client, PODS, NULL, NULL, 0);
  dr_kube_watch_set_grace_seconds (watch, 1);
  g_signal_connect (watch, "opened", G_CALLBACK (watch_opened_cb), &log);
  g_signal_connect (watch, "closed", G_CALLBACK (watch_closed_cb), &log);
  dr_kube_watch_start (watch);
  dr_test_wait_for_flag (&log.opened, WAIT_MS);
  {
    gint64 until = g_get_monotonic_time () + 2500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until && !log.closed)
      {
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
      }
  }
  dr_kube_watch_stop (watch);
  g_assert_false (log.closed);
  watch_log_clear (&log);
}

/* ---- The fake's watches ------------------------------------------------------------------ */

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

/* The status of a raw GET of @path_and_query. */
static guint
raw_status (DrFakeApiserver *server,
            const char      *method,
            const char      *path_and_query)
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
  return soup_message_get_status (msg);
}

/* The first line of a raw watch. */
static char *
raw_first_line (DrFakeApiserver *server,
                const char      *path_and_query,
                void           (*then) (DrFakeApiserver *server))
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autofree char *uri = g_strconcat (dr_fake_apiserver_get_url (server), path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };
  char *line;

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, done_cb, &wait);
  dr_test_wait_for_flag (&wait.done, WAIT_MS);
  stream = soup_session_send_finish (session, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL), ==, "application/json");

  then (server);
  lines = g_data_input_stream_new (stream);
  wait.done = FALSE;
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, done_cb, &wait);
  dr_test_wait_for_flag (&wait.done, WAIT_MS);
  line = g_data_input_stream_read_line_finish (lines, wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  return line;
}

static void
bookmark_then_change (DrFakeApiserver *server)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("after-the-bookmark-%u", ++n);
  g_autofree char *cm = NULL;

  dr_fake_apiserver_send_bookmark (server);
  cm = add_configmap (server, name);
}

static void
nothing (DrFakeApiserver *server)
{
}

static void
test_fake_watch (void)
{
  g_autoptr(DrFakeApiserver) server = server_new (NULL);
  g_autofree char *pod_a = add_pod (server, "ci", "runner-a", "{\"app\":\"runner\"}");
  g_autofree char *old_rv = server_rv (server);
  g_autofree char *pod_b = add_pod (server, "ci", "runner-b", "{\"app\":\"listener\"}");
  g_autofree char *query = NULL;
  g_autofree char *now = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonNode) event = NULL;

  g_assert_cmpuint (raw_status (server, "GET", PODS "?watch=maybe"), ==, 400);
  g_assert_cmpuint (raw_status (server, "GET", PODS "?watch=true&resourceVersion=abc"), ==, 400);
  g_assert_cmpuint (raw_status (server, "GET", PODS "?watch=true&labelSelector=app+in+%28a%29"),
                    ==, 400);
  g_assert_cmpuint (raw_status (server, "GET", PODS "?watch=true&timeoutSeconds=-1"), ==, 400);
  g_assert_cmpuint (raw_status (server, "GET", PODS "/runner-a?watch=true"), ==, 400);
  g_assert_cmpuint (raw_status (server, "POST", PODS "?watch=true"), ==, 405);
  g_assert_cmpuint (raw_status (server, "GET", "/api/v1/namespaces/ci/widgets?watch=true"), ==,
                    404);

  /* Bookmarks go only to watches that asked for them. */
  g_free (now);
  now = server_rv (server);
  query = g_strdup_printf (CONFIGMAPS "?watch=true&resourceVersion=%s", now);
  line = raw_first_line (server, query, bookmark_then_change);
  event = json_from_string (line, NULL);
  g_assert_cmpstr (str_at (event, "type"), ==, "ADDED");
  g_assert_cmpstr (str_at (event, "object.metadata.name"), ==, "after-the-bookmark-1");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&event, json_node_unref);
  g_free (now);
  now = server_rv (server);
  g_free (query);
  query = g_strdup_printf (CONFIGMAPS "?watch=true&resourceVersion=%s&allowWatchBookmarks=true",
                           now);
  line = raw_first_line (server, query, bookmark_then_change);
  event = json_from_string (line, NULL);
  g_assert_cmpstr (str_at (event, "type"), ==, "BOOKMARK");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&event, json_node_unref);

  /* History after a resourceVersion, filtered by the selector. */
  g_free (query);
  query = g_strdup_printf (PODS "?watch=true&resourceVersion=%s&labelSelector=app%%3Dlistener",
                           old_rv);
  line = raw_first_line (server, query, nothing);
  event = json_from_string (line, NULL);
  g_assert_cmpstr (str_at (event, "type"), ==, "ADDED");
  g_assert_cmpstr (str_at (event, "object.metadata.name"), ==, "runner-b");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&event, json_node_unref);

  /* timeoutSeconds ends a quiet watch cleanly. */
  g_free (now);
  now = server_rv (server);
  g_free (query);
  query = g_strdup_printf (PODS "?watch=true&resourceVersion=%s&timeoutSeconds=1", now);
  line = raw_first_line (server, query, nothing);
  g_assert_null (line);

  /* After compaction, an old version is expired, in either style. */
  dr_fake_apiserver_compact (server);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf (PODS "?watch=true&resourceVersion=%s", old_rv);
  line = raw_first_line (server, query, nothing);
  event = json_from_string (line, NULL);
  g_assert_cmpstr (str_at (event, "type"), ==, "ERROR");
  g_assert_cmpstr (str_at (event, "object.reason"), ==, "Expired");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (event), "object"), "code"), ==, 410);
  dr_fake_apiserver_set_expired_style (server, DR_FAKE_EXPIRED_HTTP);
  g_assert_cmpuint (raw_status (server, "GET", query), ==, 410);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/kube-watch/store/list-and-watch", test_store_list_and_watch);
  g_test_add_func ("/deskrun/kube-watch/store/all-namespaces-tls",
                   test_store_all_namespaces_tls);
  g_test_add_func ("/deskrun/kube-watch/store/selectors", test_store_selectors);
  g_test_add_func ("/deskrun/kube-watch/store/bookmarks", test_store_bookmarks);
  g_test_add_func ("/deskrun/kube-watch/store/resume", test_store_resume);
  g_test_add_func ("/deskrun/kube-watch/store/relist-410-event", test_store_relist_event);
  g_test_add_func ("/deskrun/kube-watch/store/relist-410-http", test_store_relist_http);
  g_test_add_func ("/deskrun/kube-watch/store/relist-recreated", test_store_relist_recreated);
  g_test_add_func ("/deskrun/kube-watch/store/backoff", test_store_backoff);
  g_test_add_func ("/deskrun/kube-watch/store/backoff-reset", test_store_backoff_reset);
  g_test_add_func ("/deskrun/kube-watch/store/list-failure", test_store_list_failure);
  g_test_add_func ("/deskrun/kube-watch/store/stop", test_store_stop);
  g_test_add_func ("/deskrun/kube-watch/store/dispose", test_store_dispose);
  g_test_add_func ("/deskrun/kube-watch/watch", test_watch);
  g_test_add_func ("/deskrun/kube-watch/watch-deadline", test_watch_deadline);
  g_test_add_func ("/deskrun/kube-watch/fake/watch", test_fake_watch);

  return g_test_run ();
}
