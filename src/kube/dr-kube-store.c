/* dr-kube-store.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-error.h"
#include "dr-kube-store.h"
#include "dr-kube-watch.h"

/* Retries wait BACKOFF_INITIAL_MS, doubling up to BACKOFF_MAX_MS, until a watch is healthy:
 * it delivered an event (a bookmark counts) or stayed open HEALTHY_SECONDS. */
#define BACKOFF_INITIAL_MS 500
#define BACKOFF_MAX_MS     30000
#define HEALTHY_SECONDS    30
/* A watch the server accepted and ended sooner than this, without an event, does not count
 * as the server being back: the waits go on growing (a server that accepts and hangs up at
 * once is not hammered). */
#define QUICK_CLOSE_SECONDS 2
/* Like client-go, ask the server to end each watch after 5 to 10 minutes, so that a
 * connection that died without a word is replaced. */
#define WATCH_TIMEOUT_MIN  300
#define WATCH_TIMEOUT_MAX  600

G_DEFINE_ENUM_TYPE (DrKubeStoreState, dr_kube_store_state,
                    G_DEFINE_ENUM_VALUE (DR_KUBE_STORE_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_STORE_LISTING, "listing"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_STORE_WATCHING, "watching"),
                    G_DEFINE_ENUM_VALUE (DR_KUBE_STORE_BACKING_OFF, "backing-off"))

typedef struct
{
  char     *namespace_;    /* NULL for cluster-scoped objects */
  char     *name;
  JsonNode *object;        /* sealed */
} Entry;

struct _DrKubeStore
{
  GObject           parent_instance;

  DrKubeClient     *client;
  char             *path;
  char             *label_selector;
  char             *field_selector;
  guint             page_size;

  GHashTable       *objects;          /* "namespace/name" or "name" → Entry */
  char             *resource_version;
  DrKubeStoreState  state;
  char             *last_error;
  gboolean          synced;

  gboolean          running;
  guint             run;              /* bumped by every start and stop */
  GCancellable     *cancellable;      /* of this run's list requests */
  DrKubeWatch      *watch;
  gint64            watch_opened_at;  /* monotonic, 0 while not open */
  gboolean          watch_from_list;  /* the watch started from a list's resourceVersion */
  guint             failures;         /* since the last healthy watch */
  guint             failures_at_open; /* before the open watch reset them */
  gboolean          forbidden;        /* the last failure: not allowed (HTTP 403) */
  GSource          *backoff;          /* the wait before retrying */
  gboolean          backoff_relist;   /* after the wait: list (TRUE) or watch */
};

G_DEFINE_FINAL_TYPE (DrKubeStore, dr_kube_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_SYNCED,
  PROP_RESOURCE_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ADDED,
  SIGNAL_CHANGED,
  SIGNAL_REMOVED,
  SIGNAL_SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void relist      (DrKubeStore *self);
static void watch_start (DrKubeStore *self,
                         gboolean     from_list);

/* ---- Objects ----------------------------------------------------------------------------- */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->namespace_);
  g_free (entry->name);
  json_node_unref (entry->object);
  g_free (entry);
}

static char *
make_key (const char *namespace_,
          const char *name)
{
  if (namespace_ == NULL || *namespace_ == '\0')
    return g_strdup (name);
  return g_strconcat (namespace_, "/", name, NULL);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
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

static const char *
metadata_string (JsonNode   *object,
                 const char *name)
{
  return string_member (object_member (json_node_get_object (object), "metadata"), name);
}

/* An Entry for @object (taking a reference), or NULL when it has no name. */
static Entry *
entry_new (JsonNode *object)
{
  const char *name = metadata_string (object, "name");
  const char *namespace_ = metadata_string (object, "namespace");
  Entry *entry;

  if (name == NULL || *name == '\0')
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->namespace_ = namespace_ != NULL && *namespace_ != '\0' ? g_strdup (namespace_) : NULL;
  entry->name = g_strdup (name);
  entry->object = json_node_ref (object);
  return entry;
}

static char *
entry_key (Entry *entry)
{
  return make_key (entry->namespace_, entry->name);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(Entry * const *) a;
  const Entry *eb = *(Entry * const *) b;
  int result = g_strcmp0 (ea->namespace_, eb->namespace_);

  return result != 0 ? result : strcmp (ea->name, eb->name);
}

static gboolean
same_object (JsonNode *a,
             JsonNode *b)
{
  return g_strcmp0 (metadata_string (a, "uid"), metadata_string (b, "uid")) == 0;
}

static gboolean
same_version (JsonNode *a,
              JsonNode *b)
{
  return g_strcmp0 (metadata_string (a, "resourceVersion"),
                    metadata_string (b, "resourceVersion")) == 0;
}

/* ---- State ------------------------------------------------------------------------------- */

static void
set_state (DrKubeStore      *self,
           DrKubeStoreState  state,
           const char       *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->last_error, error_message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_resource_version (DrKubeStore *self,
                      const char  *rv)
{
  if (rv == NULL || g_strcmp0 (self->resource_version, rv) == 0)
    return;
  g_free (self->resource_version);
  self->resource_version = g_strdup (rv);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOURCE_VERSION]);
}

static void
set_synced (DrKubeStore *self,
            gboolean     synced)
{
  if (self->synced == synced)
    return;
  self->synced = synced;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
}

static gboolean
backoff_done_cb (gpointer data)
{
  DrKubeStore *self = data;

  g_clear_pointer (&self->backoff, g_source_unref);
  if (self->backoff_relist)
    relist (self);
  else
    watch_start (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* Waits before listing (@relist) or watching again; the wait doubles with every failure in a
 * row. */
static void
back_off (DrKubeStore *self,
          const char  *message,
          gboolean     relist_after)
{
  guint delay = BACKOFF_MAX_MS;

  self->failures++;
  if (self->failures <= 16)
    delay = MIN ((guint) BACKOFF_INITIAL_MS << (self->failures - 1), BACKOFF_MAX_MS);

  g_debug ("%s: retrying in %u ms: %s", self->path, delay, message);
  self->backoff_relist = relist_after;
  /* On the thread-default context, like the I/O; destroyed by stop(). */
  self->backoff = g_timeout_source_new (delay);
  g_source_set_callback (self->backoff, backoff_done_cb, self, NULL);
  g_source_set_static_name (self->backoff, "[deskrun] kube store backoff");
  g_source_attach (self->backoff, g_main_context_get_thread_default ());
  set_state (self, DR_KUBE_STORE_BACKING_OFF, message);
}

/* ---- Emitting ---------------------------------------------------------------------------- */

typedef enum
{
  CHANGE_ADDED,
  CHANGE_CHANGED,
  CHANGE_REMOVED,
} ChangeKind;

typedef struct
{
  ChangeKind  kind;
  JsonNode   *old;
  JsonNode   *new;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_pointer (&change->old, json_node_unref);
  g_clear_pointer (&change->new, json_node_unref);
  g_free (change);
}

static void
add_change (GPtrArray  *changes,
            ChangeKind  kind,
            JsonNode   *old,
            JsonNode   *new)
{
  Change *change = g_new0 (Change, 1);

  change->kind = kind;
  change->old = old != NULL ? json_node_ref (old) : NULL;
  change->new = new != NULL ? json_node_ref (new) : NULL;
  g_ptr_array_add (changes, change);
}

/* Emits @changes in order, as long as the store runs the same run. FALSE when a handler
 * stopped (or restarted) it. */
static gboolean
emit_changes (DrKubeStore *self,
              GPtrArray   *changes)
{
  g_autoptr(DrKubeStore) guard = g_object_ref (self);
  guint run = self->run;

  for (guint i = 0; i < changes->len && self->run == run; i++)
    {
      Change *change = g_ptr_array_index (changes, i);

      switch (change->kind)
        {
        case CHANGE_ADDED:
          g_signal_emit (self, signals[SIGNAL_ADDED], 0, change->new);
          break;
        case CHANGE_CHANGED:
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0, change->old, change->new);
          break;
        case CHANGE_REMOVED:
          g_signal_emit (self, signals[SIGNAL_REMOVED], 0, change->old);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return self->run == run;
}

/* ---- Watching ---------------------------------------------------------------------------- */

static void
watch_opened_cb (DrKubeWatch *watch,
                 DrKubeStore *self)
{
  self->watch_opened_at = g_get_monotonic_time ();
  /* The server is back: the next outage starts its waits from the beginning, even if this
   * watch stays quiet for a long time. (One that the server ends at once gets the count
   * back; see watch_closed_cb().) */
  self->failures_at_open = self->failures;
  self->failures = 0;
  set_state (self, DR_KUBE_STORE_WATCHING, NULL);
}

static void
watch_event_cb (DrKubeWatch          *watch,
                DrKubeWatchEventType  type,
                JsonNode             *object,
                DrKubeStore          *self)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);
  g_autofree char *key = NULL;
  Entry *entry;
  Entry *old;

  set_resource_version (self, dr_kube_watch_get_resource_version (watch));
  if (type == DR_KUBE_WATCH_BOOKMARK)
    return;

  entry = entry_new (object);
  if (entry == NULL)
    return;                         /* DrKubeWatch lets no nameless object through */
  key = entry_key (entry);
  old = g_hash_table_lookup (self->objects, key);

  switch (type)
    {
    case DR_KUBE_WATCH_ADDED:
    case DR_KUBE_WATCH_MODIFIED:
      if (old != NULL && same_version (old->object, object))
        {
          entry_free (entry);
          return;
        }
      if (old != NULL && !same_object (old->object, object))
        {
          add_change (changes, CHANGE_REMOVED, old->object, NULL);
          add_change (changes, CHANGE_ADDED, NULL, object);
        }
      else if (old != NULL)
        add_change (changes, CHANGE_CHANGED, old->object, object);
      else
        add_change (changes, CHANGE_ADDED, NULL, object);
      g_hash_table_replace (self->objects, g_steal_pointer (&key), entry);
      break;

    case DR_KUBE_WATCH_DELETED:
      entry_free (entry);
      if (old == NULL)
        return;
      /* The object as it was deleted, which says more than the last version we had. */
      add_change (changes, CHANGE_REMOVED, object, NULL);
      g_hash_table_remove (self->objects, key);
      break;

    case DR_KUBE_WATCH_BOOKMARK:
    default:
      g_assert_not_reached ();
    }

  emit_changes (self, changes);
}

static void
watch_closed_cb (DrKubeWatch  *watch,
                 const GError *error,
                 DrKubeStore  *self)
{
  gint64 opened_at = self->watch_opened_at;
  gboolean from_list = self->watch_from_list;
  gboolean healthy;
  gboolean gone = g_error_matches (error, DR_ERROR, DR_ERROR_GONE);
  g_autofree char *message = NULL;

  healthy = dr_kube_watch_get_n_events (watch) > 0 ||
            (opened_at > 0 &&
             g_get_monotonic_time () - opened_at >= HEALTHY_SECONDS * G_USEC_PER_SEC);
  set_resource_version (self, dr_kube_watch_get_resource_version (watch));

  g_signal_handlers_disconnect_by_data (watch, self);
  g_clear_object (&self->watch);
  self->watch_opened_at = 0;

  if (gone)
    g_debug ("%s: resourceVersion %s is gone, listing again", self->path,
             self->resource_version);

  /* A watch that worked and ended (the server's timeout, a dropped connection) is resumed at
   * once, and a version that is gone is listed again at once, unless it came from the list
   * just made: the waits are for what keeps failing. */
  if (healthy)
    self->failures = 0;
  else if (opened_at > 0 &&
           g_get_monotonic_time () - opened_at < QUICK_CLOSE_SECONDS * G_USEC_PER_SEC)
    self->failures = self->failures_at_open;   /* accepted, then ended at once: no reset */
  if (gone && (healthy || !from_list))
    {
      relist (self);
      return;
    }
  if (healthy)
    {
      watch_start (self, FALSE);
      return;
    }

  self->forbidden = g_error_matches (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  if (error != NULL)
    message = g_strdup (error->message);
  else
    message = g_strdup_printf (_("The Kubernetes API server at %s closed the watch of %s at "
                                 "once"),
                               dr_kube_client_get_server (self->client), self->path);
  back_off (self, message, gone);
}

static void
watch_start (DrKubeStore *self,
             gboolean     from_list)
{
  DrKubeListOptions selectors = {
    .label_selector = self->label_selector,
    .field_selector = self->field_selector,
  };
  guint timeout = g_random_int_range (WATCH_TIMEOUT_MIN, WATCH_TIMEOUT_MAX + 1);

  g_assert (self->watch == NULL);
  self->watch_from_list = from_list;
  self->watch = dr_kube_watch_new (self->client, self->path, &selectors,
                                   self->resource_version, timeout);
  g_signal_connect (self->watch, "opened", G_CALLBACK (watch_opened_cb), self);
  g_signal_connect (self->watch, "event", G_CALLBACK (watch_event_cb), self);
  g_signal_connect (self->watch, "closed", G_CALLBACK (watch_closed_cb), self);
  dr_kube_watch_start (self->watch);
}

/* ---- Listing ----------------------------------------------------------------------------- */

typedef struct
{
  GWeakRef      store;
  GCancellable *cancellable;
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->store);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* The list's objects by key, sealed, with the kind and apiVersion lists leave out. NULL
 * (and @error) when the list is not one. */
static GHashTable *
list_entries (DrKubeStore  *self,
              JsonNode     *list,
              GError      **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         entry_free);
  JsonObject *root = json_node_get_object (list);
  JsonArray *items = json_object_get_array_member (root, "items");
  const char *list_kind = string_member (root, "kind");
  const char *api_version = string_member (root, "apiVersion");
  g_autofree char *kind = NULL;

  if (list_kind != NULL && g_str_has_suffix (list_kind, "List"))
    kind = g_strndup (list_kind, strlen (list_kind) - strlen ("List"));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *object;
      Entry *entry;

      if (!JSON_NODE_HOLDS_OBJECT (item) || (entry = entry_new (item)) == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                       _("The Kubernetes API server at %s listed %s with an item that is not "
                         "an object with a name"),
                       dr_kube_client_get_server (self->client), self->path);
          return NULL;
        }
      object = json_node_get_object (item);
      if (kind != NULL && !json_object_has_member (object, "kind"))
        json_object_set_string_member (object, "kind", kind);
      if (api_version != NULL && !json_object_has_member (object, "apiVersion"))
        json_object_set_string_member (object, "apiVersion", api_version);
      json_node_seal (item);
      g_hash_table_replace (entries, entry_key (entry), entry);
    }

  return g_steal_pointer (&entries);
}

/* Takes @fresh as the contents and lists what changed: removed first, then added and
 * changed, each sorted by namespace and name. Unchanged objects keep their old nodes. */
static GPtrArray *
replace_contents (DrKubeStore *self,
                  GHashTable  *fresh)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func (change_free);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autoptr(GPtrArray) present = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, (gpointer *) &entry))
    {
      Entry *now = g_hash_table_lookup (fresh, key);

      if (now == NULL || !same_object (entry->object, now->object))
        g_ptr_array_add (gone, entry);
    }
  g_ptr_array_sort (gone, compare_entries);
  for (guint i = 0; i < gone->len; i++)
    add_change (changes, CHANGE_REMOVED, ((Entry *) g_ptr_array_index (gone, i))->object, NULL);

  g_hash_table_iter_init (&iter, fresh);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_ptr_array_add (present, entry);
  g_ptr_array_sort (present, compare_entries);
  for (guint i = 0; i < present->len; i++)
    {
      g_autofree char *entry_k = NULL;
      Entry *now = g_ptr_array_index (present, i);
      Entry *before;

      entry_k = entry_key (now);
      before = g_hash_table_lookup (self->objects, entry_k);
      if (before == NULL || !same_object (before->object, now->object))
        add_change (changes, CHANGE_ADDED, NULL, now->object);
      else if (!same_version (before->object, now->object))
        add_change (changes, CHANGE_CHANGED, before->object, now->object);
      else
        {
          /* The same version: keep the node handed out before. */
          json_node_unref (now->object);
          now->object = json_node_ref (before->object);
        }
    }

  g_hash_table_unref (self->objects);
  self->objects = g_hash_table_ref (fresh);
  return changes;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(DrKubeStore) self = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fresh = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const char *rv;
  gboolean first;
  guint run;

  list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result, &error);
  self = g_weak_ref_get (&pending->store);
  if (self == NULL || g_cancellable_is_cancelled (pending->cancellable))
    return;

  if (list == NULL)
    {
      self->forbidden = g_error_matches (error, DR_ERROR, DR_ERROR_FORBIDDEN);
      back_off (self, error->message, TRUE);
      return;
    }
  self->forbidden = FALSE;

  rv = string_member (object_member (json_node_get_object (list), "metadata"),
                      "resourceVersion");
  if (rv == NULL || *rv == '\0')
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The Kubernetes API server at %s listed %s without a "
                                   "resourceVersion to watch from"),
                                 dr_kube_client_get_server (self->client), self->path);
      back_off (self, message, TRUE);
      return;
    }
  fresh = list_entries (self, list, &error);
  if (fresh == NULL)
    {
      back_off (self, error->message, TRUE);
      return;
    }

  set_resource_version (self, rv);
  changes = replace_contents (self, fresh);
  first = !self->synced;
  run = self->run;
  if (!emit_changes (self, changes))
    return;
  if (first)
    {
      set_synced (self, TRUE);
      g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
      if (self->run != run)
        return;
    }

  watch_start (self, TRUE);
}

static void
relist (DrKubeStore *self)
{
  DrKubeListOptions options = {
    .label_selector = self->label_selector,
    .field_selector = self->field_selector,
    .limit = self->page_size,
  };
  Pending *pending = g_new0 (Pending, 1);

  g_weak_ref_init (&pending->store, self);
  pending->cancellable = g_object_ref (self->cancellable);
  set_state (self, DR_KUBE_STORE_LISTING, self->last_error);
  dr_kube_client_list_all_async (self->client, self->path, &options, self->cancellable,
                                 list_cb, pending);
}

/* ---- Public API -------------------------------------------------------------------------- */

void
dr_kube_store_start (DrKubeStore *self)
{
  g_return_if_fail (DR_IS_KUBE_STORE (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->run++;
  self->failures = 0;
  self->cancellable = g_cancellable_new ();
  relist (self);
}

void
dr_kube_store_stop (DrKubeStore *self)
{
  g_return_if_fail (DR_IS_KUBE_STORE (self));

  if (!self->running)
    return;

  self->running = FALSE;
  self->run++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->backoff != NULL)
    {
      g_source_destroy (self->backoff);
      g_clear_pointer (&self->backoff, g_source_unref);
    }
  if (self->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watch, self);
      dr_kube_watch_stop (self->watch);
      g_clear_object (&self->watch);
    }
  self->watch_opened_at = 0;

  g_object_freeze_notify (G_OBJECT (self));
  set_synced (self, FALSE);
  set_state (self, DR_KUBE_STORE_STOPPED, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
dr_kube_store_get_path (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), NULL);

  return self->path;
}

DrKubeStoreState
dr_kube_store_get_state (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), DR_KUBE_STORE_STOPPED);

  return self->state;
}

gboolean
dr_kube_store_get_forbidden (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), FALSE);

  return self->last_error != NULL && self->forbidden;
}

const char *
dr_kube_store_get_last_error (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), NULL);

  return self->last_error;
}

gboolean
dr_kube_store_get_synced (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), FALSE);

  return self->synced;
}

const char *
dr_kube_store_get_resource_version (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), NULL);

  return self->resource_version;
}

JsonNode *
dr_kube_store_get (DrKubeStore *self,
                   const char  *namespace_,
                   const char  *name)
{
  g_autofree char *key = NULL;
  Entry *entry;

  g_return_val_if_fail (DR_IS_KUBE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = make_key (namespace_, name);
  entry = g_hash_table_lookup (self->objects, key);
  return entry != NULL ? entry->object : NULL;
}

guint
dr_kube_store_get_n_objects (DrKubeStore *self)
{
  g_return_val_if_fail (DR_IS_KUBE_STORE (self), 0);

  return g_hash_table_size (self->objects);
}

GPtrArray *
dr_kube_store_list (DrKubeStore *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *result;
  GHashTableIter iter;
  Entry *entry;

  g_return_val_if_fail (DR_IS_KUBE_STORE (self), NULL);

  entries = g_ptr_array_sized_new (g_hash_table_size (self->objects));
  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_ptr_array_add (entries, entry);
  g_ptr_array_sort (entries, compare_entries);

  result = g_ptr_array_new_full (entries->len, (GDestroyNotify) json_node_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (result, json_node_ref (((Entry *) g_ptr_array_index (entries, i))->object));
  return result;
}

DrKubeStore *
dr_kube_store_new (DrKubeClient            *client,
                   const char              *api_version,
                   const char              *plural,
                   const char              *namespace_,
                   const DrKubeListOptions *options)
{
  DrKubeStore *self;

  g_return_val_if_fail (DR_IS_KUBE_CLIENT (client), NULL);
  g_return_val_if_fail (api_version != NULL && plural != NULL, NULL);

  self = g_object_new (DR_TYPE_KUBE_STORE, NULL);
  self->client = g_object_ref (client);
  self->path = dr_kube_path (api_version, plural, namespace_, NULL);
  if (options != NULL && options->label_selector != NULL && *options->label_selector != '\0')
    self->label_selector = g_strdup (options->label_selector);
  if (options != NULL && options->field_selector != NULL && *options->field_selector != '\0')
    self->field_selector = g_strdup (options->field_selector);
  if (options != NULL)
    self->page_size = options->limit;

  return self;
}

static void
dr_kube_store_dispose (GObject *object)
{
  DrKubeStore *self = DR_KUBE_STORE (object);

  dr_kube_store_stop (self);

  G_OBJECT_CLASS (dr_kube_store_parent_class)->dispose (object);
}

static void
dr_kube_store_finalize (GObject *object)
{
  DrKubeStore *self = DR_KUBE_STORE (object);

  g_clear_object (&self->client);
  g_free (self->path);
  g_free (self->label_selector);
  g_free (self->field_selector);
  g_hash_table_unref (self->objects);
  g_free (self->resource_version);
  g_free (self->last_error);

  G_OBJECT_CLASS (dr_kube_store_parent_class)->finalize (object);
}

static void
dr_kube_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DrKubeStore *self = DR_KUBE_STORE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, self->synced);
      break;
    case PROP_RESOURCE_VERSION:
      g_value_set_string (value, self->resource_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_kube_store_class_init (DrKubeStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_kube_store_dispose;
  object_class->finalize = dr_kube_store_finalize;
  object_class->get_property = dr_kube_store_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DR_TYPE_KUBE_STORE_STATE, DR_KUBE_STORE_STOPPED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SYNCED] =
    g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RESOURCE_VERSION] =
    g_param_spec_string ("resource-version", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dr_kube_store_init (DrKubeStore *self)
{
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}
