/* dr-keyring.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "dr-error.h"
#include "dr-keyring-private.h"

#define SECRETS_BUS_NAME        "org.freedesktop.secrets"
#define SECRETS_PATH            "/org/freedesktop/secrets"
#define SECRETS_SERVICE_IFACE   "org.freedesktop.Secret.Service"
#define SECRETS_PROMPT_IFACE    "org.freedesktop.Secret.Prompt"

/* Items are found by "id" alone; "kind" lets keyring managers and scripts tell PATs from
 * GitHub Apps without reading the secret. */
static const SecretSchema credential_schema = {
  "io.github.deskrun.Credential", SECRET_SCHEMA_NONE,
  {
    { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

const SecretSchema *
_dr_keyring_get_schema (void)
{
  return &credential_schema;
}

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_DELETE,
  OP_LIST,
} Op;

typedef struct
{
  Op               op;
  char            *id;
  const char      *kind;          /* OP_STORE */
  char            *label;         /* OP_STORE */
  char            *secret;        /* OP_STORE: serialized credential until libsecret copied it */

  /* Unlocking before libsecret runs (see check_lock()) */
  GDBusConnection *bus;
  char            *collection;
  char            *prompt_path;
  gboolean         prompting;
  guint            completed_id;
  guint            vanished_id;
  gulong           cancelled_id;

  /* OP_LIST over D-Bus */
  GPtrArray       *items;         /* element-type DrKeyringItem */
  guint            pending;       /* item properties still being read */
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->id);
  g_free (data->label);
  dr_credential_secret_free (data->secret);
  g_clear_object (&data->bus);
  g_free (data->collection);
  g_free (data->prompt_path);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_free (data);
}

static void run_op (GTask *task);

static void
return_no_keyring (GTask *task)
{
  g_task_return_new_error (task, DR_ERROR, DR_ERROR_KEYRING, "%s",
                           _("No keyring is available. deskrun keeps GitHub credentials only in "
                             "the system keyring: install and start GNOME Keyring or another "
                             "Secret Service provider (e.g. KeePassXC), then try again."));
}

static void
return_locked (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  const char *message;

  switch (data->op)
    {
    case OP_STORE:
      message = _("The keyring stayed locked, so the GitHub credentials were not saved. Unlock "
                  "the keyring when it asks, then try again.");
      break;

    case OP_LOOKUP:
      message = _("The keyring stayed locked, so deskrun cannot read the GitHub credentials. "
                  "Unlock the keyring when it asks, then try again.");
      break;

    case OP_DELETE:
    default:
      message = _("The keyring stayed locked, so the GitHub credentials were not removed. "
                  "Unlock the keyring when it asks, then try again.");
      break;
    }

  g_task_return_new_error (task, DR_ERROR, DR_ERROR_KEYRING, "%s", message);
}

static gboolean
means_no_keyring (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;

        default:
          return FALSE;
        }
    }

  /* No session bus at all: autolaunch failed or the address is unusable. */
  return error->domain == G_SPAWN_ERROR;
}

/* Takes @error; never returns the secret service's text alone, since it rarely says what to
 * do. Cancellation stays G_IO_ERROR_CANCELLED. */
static void
return_error (GTask  *task,
              GError *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&owned));
      return;
    }

  g_debug ("Keyring operation failed: %s", owned->message);

  if (g_error_matches (owned, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return_locked (task);
  else if (means_no_keyring (owned))
    return_no_keyring (task);
  else
    {
      if (g_dbus_error_is_remote_error (owned))
        g_dbus_error_strip_remote_error (owned);
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_KEYRING,
                               _("The system keyring failed (%s). Check that it is running and "
                                 "unlocked, then try again."),
                               owned->message);
    }
}

/* Before libsecret runs, deskrun checks the bus itself, for two reasons:
 * - without a Secret Service, a quick and clear answer instead of libsecret's D-Bus errors;
 * - libsecret (0.20.5 and later) mishandles a dismissed prompt in its asynchronous API: it
 *   calls g_task_return_error() without an error, a critical, and the operation never
 *   completes. So deskrun unlocks what the operation needs and runs the prompt itself, and
 *   libsecret finds nothing locked. */

static gboolean
uses_secret_service (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  /* libsecret talks to the Secret portal instead inside Flatpak and Snap. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL)
    return FALSE;
  return backend == NULL || *backend == '\0' || g_str_equal (backend, "service");
}

/* Takes @task and @error. */
static void
lock_check_failed (GTask  *task,
                   GError *error)
{
  g_autoptr(GTask) owned = task;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || means_no_keyring (error))
    {
      return_error (owned, error);
      return;
    }

  /* A provider that does these calls differently: libsecret copes, or says what is wrong. */
  g_debug ("Could not check whether the keyring is locked: %s", error->message);
  g_error_free (error);
  run_op (g_steal_pointer (&owned));
}

/* Ends the prompt once, whichever comes first: its Completed signal, a failed Prompt call or
 * the service leaving the bus. Takes @error. */
static void
finish_prompt (GTask    *task,
               gboolean  dismissed,
               GError   *error)
{
  g_autoptr(GTask) hold = g_object_ref (task);
  g_autoptr(GError) owned_error = error;
  OpData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *cancelled = NULL;

  if (!data->prompting)
    return;
  data->prompting = FALSE;

  g_dbus_connection_signal_unsubscribe (data->bus, data->completed_id);
  data->completed_id = 0;
  g_bus_unwatch_name (data->vanished_id);
  data->vanished_id = 0;
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, data->cancelled_id);
  data->cancelled_id = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, &cancelled))
    g_task_return_error (task, cancelled);
  else if (owned_error != NULL)
    return_error (task, g_steal_pointer (&owned_error));
  else if (dismissed)
    return_locked (task);
  else
    run_op (g_steal_pointer (&hold));
}

static void
prompt_completed_cb (GDBusConnection *bus,
                     const char      *sender,
                     const char      *path,
                     const char      *interface,
                     const char      *signal,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  gboolean dismissed = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(bv)")))
    g_variant_get (parameters, "(bv)", &dismissed, NULL);
  finish_prompt (user_data, dismissed, NULL);
}

static void
prompt_vanished_cb (GDBusConnection *bus,
                    const char      *name,
                    gpointer         user_data)
{
  finish_prompt (user_data, TRUE,
                 g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                      "The Secret Service left the bus while prompting"));
}

static void
prompt_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  OpData *data = g_task_get_task_data (user_data);

  /* Closes the dialog; Completed then arrives and finish_prompt() reports the cancel. */
  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, data->prompt_path, SECRETS_PROMPT_IFACE,
                          "Dismiss", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

static void
prompt_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  /* On success, the answer is the Completed signal. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    finish_prompt (task, TRUE, error);
}

/* Takes @task. */
static void
run_prompt (GTask      *task,
            const char *prompt_path)
{
  OpData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  data->prompt_path = g_strdup (prompt_path);
  data->prompting = TRUE;
  data->completed_id =
    g_dbus_connection_signal_subscribe (data->bus, SECRETS_BUS_NAME, SECRETS_PROMPT_IFACE,
                                        "Completed", prompt_path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, prompt_completed_cb,
                                        g_object_ref (task), g_object_unref);
  data->vanished_id =
    g_bus_watch_name_on_connection (data->bus, SECRETS_BUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                    NULL, prompt_vanished_cb,
                                    g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (prompt_cancelled_cb),
                                                g_object_ref (task), g_object_unref);

  /* Not cancellable: a cancel dismisses the prompt instead. The user may take their time. */
  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, prompt_path, SECRETS_PROMPT_IFACE,
                          "Prompt", g_variant_new ("(s)", ""), NULL, G_DBUS_CALL_FLAGS_NONE,
                          G_MAXINT, NULL, prompt_cb, task);
}

static void
unlock_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  const char *prompt_path;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      return_error (task, error);
      return;
    }

  /* Without a prompt, whatever stays locked shows up as locked to the operation itself. */
  g_variant_get (reply, "(ao&o)", NULL, &prompt_path);
  if (g_str_equal (prompt_path, "/"))
    run_op (g_steal_pointer (&task));
  else
    run_prompt (g_steal_pointer (&task), prompt_path);
}

/* Takes @task, and @objects if floating. */
static void
unlock (GTask    *task,
        GVariant *objects)
{
  OpData *data = g_task_get_task_data (task);

  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, SECRETS_PATH, SECRETS_SERVICE_IFACE,
                          "Unlock", g_variant_new ("(@ao)", objects), G_VARIANT_TYPE ("(aoo)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), unlock_cb,
                          task);
}

static void
collection_locked_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  const char *objects[] = { data->collection, NULL };
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      lock_check_failed (g_steal_pointer (&task), error);
      return;
    }

  g_variant_get (reply, "(v)", &locked);
  if (g_variant_is_of_type (locked, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (locked))
    unlock (g_steal_pointer (&task), g_variant_new_objv (objects, -1));
  else
    run_op (g_steal_pointer (&task));
}

static void
read_alias_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      lock_check_failed (g_steal_pointer (&task), error);
      return;
    }

  /* No default collection yet: libsecret creates one. */
  g_variant_get (reply, "(o)", &data->collection);
  if (g_str_equal (data->collection, "/"))
    {
      run_op (g_steal_pointer (&task));
      return;
    }

  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, data->collection,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          collection_locked_cb, g_steal_pointer (&task));
}

static void
search_items_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      lock_check_failed (g_steal_pointer (&task), error);
      return;
    }

  g_variant_get (reply, "(ao@ao)", NULL, &locked);
  if (g_variant_n_children (locked) == 0)
    run_op (g_steal_pointer (&task));
  else
    unlock (g_steal_pointer (&task), locked);
}

/* Listing asks the Secret Service itself: libsecret 0.20's search loads every item it found,
 * and an item deleted in the meantime makes it fail, and return its task twice (a critical).
 * Each item's label and attributes are read here; one that is gone by then is skipped. */
static void
list_item_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GError) error = NULL;
  const char *label = NULL;
  const char *id = NULL;
  const char *kind = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    {
      properties = g_variant_get_child_value (reply, 0);
      g_variant_lookup (properties, "Label", "&s", &label);
      attributes = g_variant_lookup_value (properties, "Attributes", G_VARIANT_TYPE ("a{ss}"));
      if (attributes != NULL)
        {
          g_variant_lookup (attributes, "id", "&s", &id);
          g_variant_lookup (attributes, "kind", "&s", &kind);
        }
    }
  else
    g_debug ("A keyring item could not be read (deleted meanwhile?): %s", error->message);

  if (id != NULL && id[0] != '\0')
    {
      DrKeyringItem *item = g_new0 (DrKeyringItem, 1);

      item->id = g_strdup (id);
      item->kind = g_strdup (kind);
      item->label = g_strdup (label);
      g_ptr_array_add (data->items, item);
    }

  if (--data->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
list_search_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) locked = NULL;
  GError *error = NULL;
  GVariant *lists[2];

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      lock_check_failed (task, error);
      return;
    }

  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_keyring_item_free);
  g_variant_get (reply, "(@ao@ao)", &unlocked, &locked);
  lists[0] = unlocked;
  lists[1] = locked;
  data->pending = 1;  /* until every call is made */
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (gsize i = 0; i < g_variant_n_children (lists[l]); i++)
      {
        const char *path = NULL;

        g_variant_get_child (lists[l], i, "&o", &path);
        data->pending++;
        g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, path,
                                "org.freedesktop.DBus.Properties", "GetAll",
                                g_variant_new ("(s)", "org.freedesktop.Secret.Item"),
                                G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                                g_task_get_cancellable (task), list_item_cb, task);
      }
  /* The calls hold no reference of their own: the last one to finish returns the task. */
  data->pending--;
  if (data->pending == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->items),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
    }
}

/* Takes @task. */
static void
list_over_dbus (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  GVariantBuilder attributes;

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", credential_schema.name);
  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, SECRETS_PATH, SECRETS_SERVICE_IFACE,
                          "SearchItems", g_variant_new ("(a{ss})", &attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), list_search_cb, task);
}

/* Takes @task. Store needs the default collection unlocked, lookup and delete the item. */
static void
check_lock (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GVariantBuilder attributes;

  /* Listing reads attributes only, which a locked keyring shows too: no prompt for it. */
  if (data->op == OP_LIST)
    {
      list_over_dbus (task);
      return;
    }

  if (data->op == OP_STORE)
    {
      g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, SECRETS_PATH, SECRETS_SERVICE_IFACE,
                              "ReadAlias", g_variant_new ("(s)", "default"),
                              G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                              read_alias_cb, task);
      return;
    }

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", credential_schema.name);
  g_variant_builder_add (&attributes, "{ss}", "id", data->id);
  g_dbus_connection_call (data->bus, SECRETS_BUS_NAME, SECRETS_PATH, SECRETS_SERVICE_IFACE,
                          "SearchItems", g_variant_new ("(a{ss})", &attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          search_items_cb, task);
}

static void
list_activatable_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      lock_check_failed (g_steal_pointer (&task), error);
      return;
    }

  /* An activatable service starts on the first call check_lock() makes. */
  g_variant_get (reply, "(^a&s)", &names);
  if (g_strv_contains (names, SECRETS_BUS_NAME))
    check_lock (g_steal_pointer (&task));
  else
    return_no_keyring (task);
}

static void
name_has_owner_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GDBusConnection *bus = G_DBUS_CONNECTION (source);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_finish (bus, result, &error);
  if (reply == NULL)
    {
      lock_check_failed (g_steal_pointer (&task), error);
      return;
    }

  g_variant_get (reply, "(b)", &has_owner);
  if (has_owner)
    {
      check_lock (g_steal_pointer (&task));
      return;
    }

  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          list_activatable_cb, g_steal_pointer (&task));
}

static void
bus_get_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->bus = g_bus_get_finish (result, &error);
  if (data->bus == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          g_debug ("No session bus for the keyring: %s", error->message);
          return_no_keyring (task);
        }
      return;
    }

  g_dbus_connection_call (data->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          g_variant_new ("(s)", SECRETS_BUS_NAME), G_VARIANT_TYPE ("(b)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable, name_has_owner_cb,
                          g_steal_pointer (&task));
}

/* Takes @task. */
static void
start_op (GTask *task)
{
  if (uses_secret_service ())
    g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), bus_get_cb, task);
  else
    run_op (task);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_strdup (data->id), g_free);
}

static void
lookup_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  /* The lookup found nothing it could read, yet the item exists: the unlock prompt was
   * dismissed or failed. */
  if (items != NULL)
    return_locked (task);
  else
    g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                             _("No credential is stored in the keyring under %s; add it again."),
                             data->id);
  g_list_free_full (items, g_object_unref);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(DrCredential) credential = NULL;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  if (secret == NULL)
    {
      secret_password_search (&credential_schema, SECRET_SEARCH_NONE, cancellable,
                              lookup_search_cb, g_steal_pointer (&task),
                              "id", data->id,
                              NULL);
      return;
    }

  credential = dr_credential_deserialize (secret, &error);
  secret_password_free (secret);
  if (credential == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&credential),
                         (GDestroyNotify) dr_credential_free);
}

static void
delete_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  /* Clearing skips locked items: one left behind means the keyring stayed locked. */
  if (items != NULL)
    return_locked (task);
  else
    g_task_return_boolean (task, TRUE);
  g_list_free_full (items, g_object_unref);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (secret_password_clear_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  /* Nothing deleted: nothing was stored, which is success, or the item is locked. */
  secret_password_search (&credential_schema, SECRET_SEARCH_ALL, cancellable, delete_search_cb,
                          g_steal_pointer (&task),
                          "id", data->id,
                          NULL);
}

void
dr_keyring_item_free (DrKeyringItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->kind);
  g_free (item->label);
  g_free (item);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dr_keyring_item_free);
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, error);
      return;
    }

  /* Attributes and labels are readable without the secret, locked or not. */
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *id = attributes != NULL ? g_hash_table_lookup (attributes, "id") : NULL;
      DrKeyringItem *item;

      if (id == NULL || id[0] == '\0')
        continue;
      item = g_new0 (DrKeyringItem, 1);
      item->id = g_strdup (id);
      item->kind = g_strdup (g_hash_table_lookup (attributes, "kind"));
      item->label = secret_retrievable_get_label (l->data);
      g_ptr_array_add (found, item);
    }
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
}

/* Takes @task. */
static void
run_op (GTask *task)
{
  OpData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (data->op)
    {
    case OP_STORE:
      secret_password_store (&credential_schema, SECRET_COLLECTION_DEFAULT, data->label,
                             data->secret, cancellable, store_cb, task,
                             "id", data->id,
                             "kind", data->kind,
                             NULL);
      /* libsecret copied it into its own (wiping) memory. */
      g_clear_pointer (&data->secret, dr_credential_secret_free);
      break;

    case OP_LOOKUP:
      secret_password_lookup (&credential_schema, cancellable, lookup_cb, task,
                              "id", data->id,
                              NULL);
      break;

    case OP_DELETE:
      secret_password_clear (&credential_schema, cancellable, delete_cb, task,
                             "id", data->id,
                             NULL);
      break;

    case OP_LIST:
      secret_password_search (&credential_schema, SECRET_SEARCH_ALL, cancellable, list_cb, task,
                              NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
dr_keyring_store_async (const DrCredential  *credential,
                        const char          *label,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (credential != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_keyring_store_async);
  /* Once stored, the caller must learn the id, or the secret would be orphaned. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (OpData, 1);
  data->op = OP_STORE;
  data->id = g_uuid_string_random ();
  data->kind = dr_credential_kind_to_string (credential->kind);
  data->label = g_strdup (label);
  data->secret = dr_credential_serialize (credential);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  start_op (g_steal_pointer (&task));
}

char *
dr_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_keyring_store_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GTask *
new_id_task (const char          *id,
             Op                   op,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  g_task_set_source_tag (task, source_tag);
  data->op = op;
  data->id = g_strdup (id);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  return task;
}

void
dr_keyring_lookup_async (const char          *id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_op (new_id_task (id, OP_LOOKUP, cancellable, callback, user_data,
                         dr_keyring_lookup_async));
}

DrCredential *
dr_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_keyring_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dr_keyring_delete_async (const char          *id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_op (new_id_task (id, OP_DELETE, cancellable, callback, user_data,
                         dr_keyring_delete_async));
}

gboolean
dr_keyring_delete_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_keyring_delete_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dr_keyring_list_async (GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  OpData *data;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_keyring_list_async);
  data = g_new0 (OpData, 1);
  data->op = OP_LIST;
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  start_op (task);
}

GPtrArray *
dr_keyring_list_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_keyring_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
