/* dr-status-notifier.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-status-notifier.h"

#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"

static const char item_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg type='i' name='x' direction='in'/><arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg type='i' name='x' direction='in'/><arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg type='i' name='x' direction='in'/><arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg type='i' name='delta' direction='in'/>"
  "      <arg type='s' name='orientation' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'><arg type='s' name='status'/></signal>"
  "  </interface>"
  "</node>";

struct _DrStatusNotifier
{
  GObject                 parent_instance;

  GDBusConnection        *connection;
  guint                   registration_id;
  guint                   watch_id;
  GCancellable           *cancellable;
  gboolean                registered;

  char                   *id;
  char                   *title;
  char                   *menu_path;
  char                   *icon_theme_path;
  DrStatusNotifierStatus  status;
  char                   *icon_name;
  char                   *attention_icon_name;
  char                   *tooltip_title;
  char                   *tooltip_text;
};

G_DEFINE_FINAL_TYPE (DrStatusNotifier, dr_status_notifier, G_TYPE_OBJECT)

enum { PROP_0, PROP_REGISTERED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { ACTIVATE, SECONDARY_ACTIVATE, N_SIGNALS };
static guint signals[N_SIGNALS];

static GDBusNodeInfo *node_info;

static const char *
status_to_string (DrStatusNotifierStatus status)
{
  switch (status)
    {
    case DR_STATUS_NOTIFIER_PASSIVE:
      return "Passive";
    case DR_STATUS_NOTIFIER_NEEDS_ATTENTION:
      return "NeedsAttention";
    case DR_STATUS_NOTIFIER_ACTIVE:
    default:
      return "Active";
    }
}

static void
emit (DrStatusNotifier *self,
      const char       *signal_name,
      GVariant         *parameters)
{
  g_dbus_connection_emit_signal (self->connection, NULL, DR_STATUS_NOTIFIER_PATH,
                                 ITEM_INTERFACE, signal_name, parameters, NULL);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  DrStatusNotifier *self = user_data;
  int x = 0, y = 0;

  if (g_str_equal (method_name, "Scroll"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }
  if (!g_str_equal (method_name, "Activate") && !g_str_equal (method_name, "SecondaryActivate") &&
      !g_str_equal (method_name, "ContextMenu"))
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD, "No method %s",
                                             method_name);
      return;
    }

  g_variant_get (parameters, "(ii)", &x, &y);
  g_dbus_method_invocation_return_value (invocation, NULL);
  /* ContextMenu is only called by hosts that ignore the Menu property; the menu itself is
   * the answer there, so treat it as a plain activation. */
  if (g_str_equal (method_name, "SecondaryActivate"))
    g_signal_emit (self, signals[SECONDARY_ACTIVATE], 0, x, y);
  else
    g_signal_emit (self, signals[ACTIVATE], 0, x, y);
}

static GVariant *
empty_pixmap (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *name,
                 GError          **error,
                 gpointer          user_data)
{
  DrStatusNotifier *self = user_data;

  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string (self->id);
  if (g_str_equal (name, "Title"))
    return g_variant_new_string (self->title);
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (status_to_string (self->status));
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconThemePath"))
    return g_variant_new_string (self->icon_theme_path ? self->icon_theme_path : "");
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (self->icon_name ? self->icon_name : "");
  if (g_str_equal (name, "AttentionIconName"))
    return g_variant_new_string (self->attention_icon_name ? self->attention_icon_name : "");
  if (g_str_equal (name, "OverlayIconName") || g_str_equal (name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "IconPixmap") || g_str_equal (name, "OverlayIconPixmap") ||
      g_str_equal (name, "AttentionIconPixmap"))
    return empty_pixmap ();
  if (g_str_equal (name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", "", empty_pixmap (),
                          self->tooltip_title ? self->tooltip_title : "",
                          self->tooltip_text ? self->tooltip_text : "");
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (self->menu_path);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = { method_call_cb, get_property_cb, NULL, };

static void
set_registered (DrStatusNotifier *self,
                gboolean          registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  DrStatusNotifier *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (error != NULL)
    {
      /* Not a failure of ours: the panel just shows no item. */
      g_debug ("The status notifier watcher refused the tray item: %s", error->message);
      return;
    }
  set_registered (self, TRUE);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  DrStatusNotifier *self = user_data;

  g_dbus_connection_call (connection, name_owner, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", DR_STATUS_NOTIFIER_PATH), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, register_cb, self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  set_registered (user_data, FALSE);
}

void
dr_status_notifier_set_status (DrStatusNotifier       *self,
                               DrStatusNotifierStatus  status)
{
  g_return_if_fail (DR_IS_STATUS_NOTIFIER (self));

  if (self->status == status)
    return;
  self->status = status;
  emit (self, "NewStatus", g_variant_new ("(s)", status_to_string (status)));
}

void
dr_status_notifier_set_icon (DrStatusNotifier *self,
                             const char       *icon_name,
                             const char       *attention_icon_name)
{
  g_return_if_fail (DR_IS_STATUS_NOTIFIER (self));

  if (g_strcmp0 (self->icon_name, icon_name) != 0)
    {
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
      emit (self, "NewIcon", NULL);
    }
  if (g_strcmp0 (self->attention_icon_name, attention_icon_name) != 0)
    {
      g_free (self->attention_icon_name);
      self->attention_icon_name = g_strdup (attention_icon_name);
      emit (self, "NewAttentionIcon", NULL);
    }
}

void
dr_status_notifier_set_tooltip (DrStatusNotifier *self,
                                const char       *title,
                                const char       *text)
{
  g_return_if_fail (DR_IS_STATUS_NOTIFIER (self));

  if (g_strcmp0 (self->tooltip_title, title) == 0 && g_strcmp0 (self->tooltip_text, text) == 0)
    return;
  g_free (self->tooltip_title);
  self->tooltip_title = g_strdup (title);
  g_free (self->tooltip_text);
  self->tooltip_text = g_strdup (text);
  emit (self, "NewToolTip", NULL);
}

void
dr_status_notifier_set_icon_theme_path (DrStatusNotifier *self,
                                        const char       *path)
{
  g_return_if_fail (DR_IS_STATUS_NOTIFIER (self));

  if (g_strcmp0 (self->icon_theme_path, path) == 0)
    return;
  g_free (self->icon_theme_path);
  self->icon_theme_path = g_strdup (path);
  /* Hosts read the path again with the icon. */
  emit (self, "NewIcon", NULL);
}

gboolean
dr_status_notifier_get_registered (DrStatusNotifier *self)
{
  g_return_val_if_fail (DR_IS_STATUS_NOTIFIER (self), FALSE);

  return self->registered;
}

static void
dr_status_notifier_dispose (GObject *object)
{
  DrStatusNotifier *self = DR_STATUS_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->watch_id != 0)
    g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->registration_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->registration_id);
      self->registration_id = 0;
    }
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dr_status_notifier_parent_class)->dispose (object);
}

static void
dr_status_notifier_finalize (GObject *object)
{
  DrStatusNotifier *self = DR_STATUS_NOTIFIER (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->menu_path);
  g_free (self->icon_theme_path);
  g_free (self->icon_name);
  g_free (self->attention_icon_name);
  g_free (self->tooltip_title);
  g_free (self->tooltip_text);

  G_OBJECT_CLASS (dr_status_notifier_parent_class)->finalize (object);
}

static void
dr_status_notifier_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DrStatusNotifier *self = DR_STATUS_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_status_notifier_class_init (DrStatusNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_status_notifier_dispose;
  object_class->finalize = dr_status_notifier_finalize;
  object_class->get_property = dr_status_notifier_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[SECONDARY_ACTIVATE] = g_signal_new ("secondary-activate", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  node_info = g_dbus_node_info_new_for_xml (item_xml, NULL);
  g_assert (node_info != NULL);
}

static void
dr_status_notifier_init (DrStatusNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->status = DR_STATUS_NOTIFIER_ACTIVE;
}

DrStatusNotifier *
dr_status_notifier_new (GDBusConnection  *connection,
                        const char       *id,
                        const char       *title,
                        const char       *menu_path,
                        GError          **error)
{
  g_autoptr(DrStatusNotifier) self = NULL;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (id != NULL && title != NULL && menu_path != NULL, NULL);

  self = g_object_new (DR_TYPE_STATUS_NOTIFIER, NULL);
  self->connection = g_object_ref (connection);
  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->menu_path = g_strdup (menu_path);
  self->registration_id =
    g_dbus_connection_register_object (connection, DR_STATUS_NOTIFIER_PATH,
                                       node_info->interfaces[0], &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return NULL;
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
  return g_steal_pointer (&self);
}
