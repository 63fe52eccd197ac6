/* dr-kube-watch.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "dr-error.h"
#include "dr-json.h"
#include "dr-kube-line-reader.h"
#include "dr-kube-watch.h"

G_DEFINE_ENUM_TYPE (DrKubeWatchEventType, dr_kube_watch_event_type,
                    G_DEFINE_ENUM_VALUE (DR_KUBE_WATCH_ADDED, "added"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_WATCH_MODIFIED, "modified"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_WATCH_DELETED, "deleted"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_WATCH_BOOKMARK, "bookmark"))

struct _DrKubeWatch
{
  GObject           parent_instance;

  DrKubeClient     *client;
  char             *path;
  char             *label_selector;
  char             *field_selector;
  char             *resource_version;
  guint             timeout_seconds;
  guint             grace_seconds;

  GCancellable     *cancellable;
  GSource          *deadline;        /* timeout + grace after the server answered */     /* of the request while it runs */
  DrKubeLineReader *reader;          /* once the server has answered */
  guint             n_events;
  gboolean          started;
  gboolean          finished;        /* stopped or closed: quiet from now on */
};

G_DEFINE_FINAL_TYPE (DrKubeWatch, dr_kube_watch, G_TYPE_OBJECT)

enum {
  SIGNAL_OPENED,
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the request's callback gets: the watch may be gone by then (the request does not keep
 * it alive), and a stopped watch's request must not be mistaken for a later one. */
typedef struct
{
  GWeakRef      watch;
  GCancellable *cancellable;
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->watch);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
finish (DrKubeWatch *self)
{
  self->finished = TRUE;
  if (self->deadline != NULL)
    {
      g_source_destroy (self->deadline);
      g_clear_pointer (&self->deadline, g_source_unref);
    }
  g_clear_pointer (&self->reader, dr_kube_line_reader_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* Ends the watch and says why. A handler may drop what may be the last reference. */
static void
close_watch (DrKubeWatch  *self,
             const GError *error)
{
  g_autoptr(DrKubeWatch) guard = NULL;

  if (self->finished)
    return;
  guard = g_object_ref (self);
  finish (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void G_GNUC_PRINTF (3, 4)
close_with_error (DrKubeWatch *self,
                  int          code,
                  const char  *format,
                  ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new (DR_ERROR, code, _("The watch of %s on the Kubernetes API server at %s "
                                         "failed: %s"),
                       self->path, dr_kube_client_get_server (self->client), detail);
  close_watch (self, error);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* An ERROR event carries a Status: 410 (or reason Expired / Gone) means "list again". */
static void
close_with_status (DrKubeWatch *self,
                   JsonObject  *status)
{
  JsonNode *code_node = status != NULL ? json_object_get_member (status, "code") : NULL;
  const char *reason = string_member (status, "reason");
  const char *message = string_member (status, "message");
  gint64 code = 0;

  if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
      json_node_get_value_type (code_node) == G_TYPE_INT64)
    code = json_node_get_int (code_node);
  if (message == NULL || *message == '\0')
    message = reason != NULL ? reason : _("an error without a message");

  if (code == SOUP_STATUS_GONE || g_strcmp0 (reason, "Expired") == 0 ||
      g_strcmp0 (reason, "Gone") == 0)
    close_with_error (self, DR_ERROR_GONE, "%s", message);
  else if (code > 0 && code <= G_MAXUINT)
    close_with_error (self, dr_error_from_http_status (code), "%s", message);
  else
    close_with_error (self, DR_ERROR_FAILED, "%s", message);
}

static void
line_cb (const char *line,
         gsize       length,
         gboolean    complete,
         gpointer    user_data)
{
  static const char * const types[] = {
    [DR_KUBE_WATCH_ADDED] = "ADDED",
    [DR_KUBE_WATCH_MODIFIED] = "MODIFIED",
    [DR_KUBE_WATCH_DELETED] = "DELETED",
    [DR_KUBE_WATCH_BOOKMARK] = "BOOKMARK",
  };
  DrKubeWatch *self = user_data;
  g_autoptr(DrKubeWatch) guard = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) object = NULL;
  JsonObject *event;
  JsonObject *metadata;
  const char *type;
  const char *rv;
  const char *name;
  int event_type = -1;
  gsize blank = 0;

  /* Keep-alive blank lines (white space only) are not events. */
  while (blank < length && g_ascii_isspace (line[blank]))
    blank++;
  if (blank == length)
    return;

  if ((root = dr_json_parse_data (line, length, &error)) == NULL)
    {
      close_with_error (self, DR_ERROR_BAD_RESPONSE, _("an event is not JSON: %s"),
                        error->message);
      return;
    }
  /* Events are shared with the stores as they are: sealed, so nobody changes them. */
  json_node_seal (root);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      close_with_error (self, DR_ERROR_BAD_RESPONSE, _("an event is not a JSON object"));
      return;
    }
  event = json_node_get_object (root);
  type = string_member (event, "type");
  if (type == NULL || object_member (event, "object") == NULL)
    {
      close_with_error (self, DR_ERROR_BAD_RESPONSE, _("an event has no type or no object"));
      return;
    }

  if (g_str_equal (type, "ERROR"))
    {
      close_with_status (self, object_member (event, "object"));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, types[i]))
      event_type = i;
  if (event_type < 0)
    {
      close_with_error (self, DR_ERROR_BAD_RESPONSE, _("an event has the unknown type “%s”"),
                        type);
      return;
    }

  object = json_node_ref (json_object_get_member (event, "object"));
  metadata = object_member (json_node_get_object (object), "metadata");
  rv = string_member (metadata, "resourceVersion");
  name = string_member (metadata, "name");
  if (rv == NULL || *rv == '\0' ||
      (event_type != DR_KUBE_WATCH_BOOKMARK && (name == NULL || *name == '\0')))
    {
      close_with_error (self, DR_ERROR_BAD_RESPONSE,
                        _("a %s event has an object without a name or resourceVersion"), type);
      return;
    }

  g_free (self->resource_version);
  self->resource_version = g_strdup (rv);
  self->n_events++;
  guard = g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event_type, object);
}

static void
end_cb (const GError *error,
        gpointer      user_data)
{
  DrKubeWatch *self = user_data;
  g_autoptr(GError) better = NULL;

  if (error == NULL)
    {
      close_watch (self, NULL);
      return;
    }

  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_MESSAGE_TOO_LARGE)
    better = g_error_new (DR_ERROR, DR_ERROR_BAD_RESPONSE,
                          _("The watch of %s on the Kubernetes API server at %s failed: %s"),
                          self->path, dr_kube_client_get_server (self->client), error->message);
  else
    better = g_error_new (error->domain, error->code,
                          _("The watch of %s on the Kubernetes API server at %s broke off: %s"),
                          self->path, dr_kube_client_get_server (self->client), error->message);
  close_watch (self, better);
}

/* The server ends a watch at timeoutSeconds; one that is still open well after that has lost
 * its connection without a FIN, and reading it would wait forever. */
static gboolean
deadline_cb (gpointer user_data)
{
  DrKubeWatch *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->deadline, g_source_unref);
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("The watch of %s on the Kubernetes API server at %s is still open %u s "
                         "after the server should have ended it: the connection is dead"),
                       self->path, dr_kube_client_get_server (self->client),
                       self->grace_seconds);
  close_watch (self, error);
  return G_SOURCE_REMOVE;
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(DrKubeWatch) self = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = dr_kube_client_send_stream_finish (DR_KUBE_CLIENT (object), result, &error);
  self = g_weak_ref_get (&pending->watch);
  if (self == NULL || g_cancellable_is_cancelled (pending->cancellable) || self->finished)
    return;

  if (stream == NULL)
    {
      close_watch (self, error);
      return;
    }

  self->reader = dr_kube_line_reader_new (stream, DR_KUBE_WATCH_MAX_EVENT_SIZE,
                                          DR_KUBE_LINE_FAIL, line_cb, end_cb, self);
  if (self->timeout_seconds > 0)
    {
      guint64 ms = ((guint64) self->timeout_seconds + self->grace_seconds) * 1000;

      self->deadline = g_timeout_source_new (MIN (ms, G_MAXUINT));
      g_source_set_callback (self->deadline, deadline_cb, self, NULL);
      g_source_set_static_name (self->deadline, "[deskrun] kube watch deadline");
      g_source_attach (self->deadline, g_main_context_get_thread_default ());
    }
  g_signal_emit (self, signals[SIGNAL_OPENED], 0);
}

void
dr_kube_watch_start (DrKubeWatch *self)
{
  g_autoptr(GPtrArray) query = g_ptr_array_new ();
  g_autofree char *timeout = NULL;
  Pending *pending;

  g_return_if_fail (DR_IS_KUBE_WATCH (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->cancellable = g_cancellable_new ();

  g_ptr_array_add (query, (gpointer) "watch");
  g_ptr_array_add (query, (gpointer) "true");
  g_ptr_array_add (query, (gpointer) "allowWatchBookmarks");
  g_ptr_array_add (query, (gpointer) "true");
  if (self->resource_version != NULL && *self->resource_version != '\0')
    {
      g_ptr_array_add (query, (gpointer) "resourceVersion");
      g_ptr_array_add (query, self->resource_version);
    }
  if (self->label_selector != NULL)
    {
      g_ptr_array_add (query, (gpointer) "labelSelector");
      g_ptr_array_add (query, self->label_selector);
    }
  if (self->field_selector != NULL)
    {
      g_ptr_array_add (query, (gpointer) "fieldSelector");
      g_ptr_array_add (query, self->field_selector);
    }
  if (self->timeout_seconds > 0)
    {
      timeout = g_strdup_printf ("%u", self->timeout_seconds);
      g_ptr_array_add (query, (gpointer) "timeoutSeconds");
      g_ptr_array_add (query, timeout);
    }
  g_ptr_array_add (query, NULL);

  pending = g_new0 (Pending, 1);
  g_weak_ref_init (&pending->watch, self);
  pending->cancellable = g_object_ref (self->cancellable);
  dr_kube_client_send_stream_async (self->client, SOUP_METHOD_GET, self->path,
                                    (const char * const *) query->pdata, self->cancellable,
                                    open_cb, pending);
}

void
dr_kube_watch_set_grace_seconds (DrKubeWatch *self,
                                 guint        seconds)
{
  g_return_if_fail (DR_IS_KUBE_WATCH (self));
  g_return_if_fail (!self->started);

  self->grace_seconds = seconds;
}

void
dr_kube_watch_stop (DrKubeWatch *self)
{
  g_return_if_fail (DR_IS_KUBE_WATCH (self));

  if (self->started && !self->finished)
    finish (self);
}

const char *
dr_kube_watch_get_resource_version (DrKubeWatch *self)
{
  g_return_val_if_fail (DR_IS_KUBE_WATCH (self), NULL);

  return self->resource_version;
}

guint
dr_kube_watch_get_n_events (DrKubeWatch *self)
{
  g_return_val_if_fail (DR_IS_KUBE_WATCH (self), 0);

  return self->n_events;
}

DrKubeWatch *
dr_kube_watch_new (DrKubeClient            *client,
                   const char              *path,
                   const DrKubeListOptions *selectors,
                   const char              *resource_version,
                   guint                    timeout_seconds)
{
  DrKubeWatch *self;

  g_return_val_if_fail (DR_IS_KUBE_CLIENT (client), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  self = g_object_new (DR_TYPE_KUBE_WATCH, NULL);
  self->client = g_object_ref (client);
  self->path = g_strdup (path);
  if (selectors != NULL && selectors->label_selector != NULL &&
      *selectors->label_selector != '\0')
    self->label_selector = g_strdup (selectors->label_selector);
  if (selectors != NULL && selectors->field_selector != NULL &&
      *selectors->field_selector != '\0')
    self->field_selector = g_strdup (selectors->field_selector);
  self->resource_version = g_strdup (resource_version);
  self->timeout_seconds = timeout_seconds;

  return self;
}

static void
dr_kube_watch_dispose (GObject *object)
{
  DrKubeWatch *self = DR_KUBE_WATCH (object);

  if (self->started && !self->finished)
    finish (self);

  G_OBJECT_CLASS (dr_kube_watch_parent_class)->dispose (object);
}

static void
dr_kube_watch_finalize (GObject *object)
{
  DrKubeWatch *self = DR_KUBE_WATCH (object);

  g_clear_object (&self->client);
  g_free (self->path);
  g_free (self->label_selector);
  g_free (self->field_selector);
  g_free (self->resource_version);

  G_OBJECT_CLASS (dr_kube_watch_parent_class)->finalize (object);
}

static void
dr_kube_watch_class_init (DrKubeWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_kube_watch_dispose;
  object_class->finalize = dr_kube_watch_finalize;

  signals[SIGNAL_OPENED] =
    g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, DR_TYPE_KUBE_WATCH_EVENT_TYPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
dr_kube_watch_init (DrKubeWatch *self)
{
  self->grace_seconds = DR_KUBE_WATCH_GRACE_SECONDS;
}
