/* dr-dbusmenu.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-dbusmenu.h"

/* The interface as tray hosts call it (libdbusmenu's dbus-menu.xml, version 3). */
static const char dbusmenu_xml[] =
  "<node>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  int        id;
  gboolean   separator;
  gboolean   submenu;
  gboolean   enabled;
  char      *label;
  char      *icon_name;
  char      *action;      /* without the prefix; NULL for none */
  GVariant  *target;
  char      *toggle_type; /* "checkmark", "radio" or NULL */
  int        toggle_state;
  GArray    *children;    /* int ids */
} Item;

struct _DrDbusmenu
{
  GObject          parent_instance;

  GMenuModel      *menu;
  GActionGroup    *actions;
  char            *prefix;

  GHashTable      *items;       /* id -> Item, rebuilt on every change */
  GHashTable      *ids;         /* stable key -> id, kept across rebuilds */
  int              next_id;
  guint            revision;
  GPtrArray       *watched;     /* the GMenuModels of the last build */
  guint            rebuild_id;

  GDBusConnection *connection;
  char            *object_path;
  guint            registration_id;
};

G_DEFINE_FINAL_TYPE (DrDbusmenu, dr_dbusmenu, G_TYPE_OBJECT)

static GDBusNodeInfo *node_info;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->label);
  g_free (item->icon_name);
  g_free (item->action);
  g_clear_pointer (&item->target, g_variant_unref);
  g_free (item->toggle_type);
  g_array_unref (item->children);
  g_free (item);
}

static Item *
item_new (int id)
{
  Item *item = g_new0 (Item, 1);

  item->id = id;
  item->enabled = TRUE;
  item->children = g_array_new (FALSE, FALSE, sizeof (int));
  return item;
}

/* Ids stay the same for the same item (same place, label, action and target), so a host
 * that clicks an item of a layout it fetched just before a change still gets that item. */
static int
id_for_key (DrDbusmenu *self,
            GHashTable *used,
            const char *key)
{
  g_autofree char *unique = g_strdup (key);
  gpointer value;
  int id;

  for (guint n = 2; g_hash_table_contains (used, unique); n++)
    {
      g_free (unique);
      unique = g_strdup_printf ("%s#%u", key, n);
    }
  g_hash_table_add (used, g_strdup (unique));

  if (g_hash_table_lookup_extended (self->ids, unique, NULL, &value))
    return GPOINTER_TO_INT (value);
  id = self->next_id++;
  g_hash_table_insert (self->ids, g_steal_pointer (&unique), GINT_TO_POINTER (id));
  return id;
}

static void
fill_action_state (DrDbusmenu *self,
                   Item       *item)
{
  g_autoptr(GVariant) state = NULL;

  if (item->action == NULL || !g_action_group_has_action (self->actions, item->action))
    {
      item->enabled = FALSE;
      return;
    }
  item->enabled = g_action_group_get_action_enabled (self->actions, item->action);
  state = g_action_group_get_action_state (self->actions, item->action);
  if (state == NULL)
    return;
  if (item->target == NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
    {
      item->toggle_type = g_strdup ("checkmark");
      item->toggle_state = g_variant_get_boolean (state) ? 1 : 0;
    }
  else if (item->target != NULL && g_variant_type_equal (g_variant_get_type (state),
                                                         g_variant_get_type (item->target)))
    {
      item->toggle_type = g_strdup ("radio");
      item->toggle_state = g_variant_equal (state, item->target) ? 1 : 0;
    }
}

typedef struct
{
  GHashTable *used;
  gboolean    need_separator;
} Level;

static void build_level (DrDbusmenu *self, GMenuModel *model, Item *parent, const char *key,
                         Level *level);

static void
add_child (DrDbusmenu *self,
           Item       *parent,
           Item       *child,
           const char *key,
           Level      *level)
{
  if (level->need_separator && parent->children->len > 0)
    {
      g_autofree char *sep_key = g_strdup_printf ("%s/-", key);
      Item *sep = item_new (id_for_key (self, level->used, sep_key));

      sep->separator = TRUE;
      g_hash_table_insert (self->items, GINT_TO_POINTER (sep->id), sep);
      g_array_append_val (parent->children, sep->id);
    }
  level->need_separator = FALSE;
  g_hash_table_insert (self->items, GINT_TO_POINTER (child->id), child);
  g_array_append_val (parent->children, child->id);
}

static void
build_level (DrDbusmenu *self,
             GMenuModel *model,
             Item       *parent,
             const char *key,
             Level      *level)
{
  int n = g_menu_model_get_n_items (model);

  g_ptr_array_add (self->watched, g_object_ref (model));

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autofree char *icon = NULL;
      g_autofree char *target_text = NULL;
      g_autofree char *item_key = NULL;
      Item *item;

      if (section != NULL)
        {
          level->need_separator = TRUE;
          build_level (self, section, parent, key, level);
          level->need_separator = TRUE;
          continue;
        }

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      g_menu_model_get_item_attribute (model, i, "icon-name", "s", &icon);
      target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      target_text = target ? g_variant_print (target, TRUE) : NULL;
      item_key = g_strdup_printf ("%s/%s|%s|%s%s", key, label ? label : "",
                                  action ? action : "", target_text ? target_text : "",
                                  submenu ? "|>" : "");

      item = item_new (id_for_key (self, level->used, item_key));
      item->label = g_strdup (label ? label : "");
      item->icon_name = g_steal_pointer (&icon);
      if (action != NULL && self->prefix != NULL && g_str_has_prefix (action, self->prefix) &&
          action[strlen (self->prefix)] == '.')
        item->action = g_strdup (action + strlen (self->prefix) + 1);
      item->target = target ? g_variant_ref_sink (g_steal_pointer (&target)) : NULL;
      if (submenu != NULL)
        {
          Level sub = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), FALSE };

          item->submenu = TRUE;
          build_level (self, submenu, item, item_key, &sub);
          g_hash_table_unref (sub.used);
        }
      else
        fill_action_state (self, item);
      add_child (self, parent, item, key, level);
    }
}

static void items_changed_cb (GMenuModel *model, int position, int removed, int added,
                              gpointer user_data);

static void
unwatch (DrDbusmenu *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          items_changed_cb, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
rebuild (DrDbusmenu *self)
{
  Level level = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), FALSE };
  Item *root;

  unwatch (self);
  g_hash_table_remove_all (self->items);
  root = item_new (0);
  root->submenu = TRUE;
  g_hash_table_insert (self->items, GINT_TO_POINTER (0), root);
  build_level (self, self->menu, root, "", &level);
  g_hash_table_unref (level.used);

  /* Sections are not a model of their own: the same one may appear twice. */
  for (guint i = 0; i < self->watched->len; i++)
    {
      GMenuModel *model = g_ptr_array_index (self->watched, i);

      g_signal_handlers_disconnect_by_func (model, items_changed_cb, self);
      g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
    }
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  DrDbusmenu *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);
  self->revision++;
  if (self->connection != NULL)
    g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                   "com.canonical.dbusmenu", "LayoutUpdated",
                                   g_variant_new ("(ui)", self->revision, 0), NULL);
  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a menu rebuilt item by item): one new layout for all of them. */
static void
schedule_rebuild (DrDbusmenu *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

static void
items_changed_cb (GMenuModel *model,
                  int         position,
                  int         removed,
                  int         added,
                  gpointer    user_data)
{
  schedule_rebuild (user_data);
}

static void
action_changed_cb (DrDbusmenu *self)
{
  schedule_rebuild (self);
}

/* ---- D-Bus ------------------------------------------------------------------------------- */

static gboolean
wanted (const char * const *names,
        const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

static GVariant *
item_properties (Item               *item,
                 const char * const *names)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (item->separator)
    {
      if (wanted (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      return g_variant_builder_end (&builder);
    }
  if (item->id != 0 && wanted (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (item->label));
  if (item->id != 0 && wanted (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (item->enabled));
  if (item->icon_name != NULL && wanted (names, "icon-name"))
    g_variant_builder_add (&builder, "{sv}", "icon-name", g_variant_new_string (item->icon_name));
  if (item->submenu && wanted (names, "children-display"))
    g_variant_builder_add (&builder, "{sv}", "children-display",
                           g_variant_new_string ("submenu"));
  if (item->toggle_type != NULL)
    {
      if (wanted (names, "toggle-type"))
        g_variant_builder_add (&builder, "{sv}", "toggle-type",
                               g_variant_new_string (item->toggle_type));
      if (wanted (names, "toggle-state"))
        g_variant_builder_add (&builder, "{sv}", "toggle-state",
                               g_variant_new_int32 (item->toggle_state));
    }
  return g_variant_builder_end (&builder);
}

/* One (ia{sv}av) node; each child in the av is such a node, boxed in a variant. */
static GVariant *
layout_node (DrDbusmenu         *self,
             Item               *item,
             int                 depth,
             const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (depth != 0)
    for (guint i = 0; i < item->children->len; i++)
      {
        int id = g_array_index (item->children, int, i);
        Item *child = g_hash_table_lookup (self->items, GINT_TO_POINTER (id));

        if (child != NULL)
          g_variant_builder_add (&children, "v",
                                 layout_node (self, child, depth < 0 ? -1 : depth - 1, names));
      }
  return g_variant_new ("(i@a{sv}av)", item->id, item_properties (item, names), &children);
}

static Item *
lookup_item (DrDbusmenu            *self,
             int                    id,
             GDBusMethodInvocation *invocation)
{
  Item *item = g_hash_table_lookup (self->items, GINT_TO_POINTER (id));

  if (item == NULL && invocation != NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "No menu item with id %d", id);
  return item;
}

static gboolean
handle_event (DrDbusmenu *self,
              int         id,
              const char *event_id)
{
  Item *item = lookup_item (self, id, NULL);

  if (item == NULL)
    return FALSE;
  if (g_str_equal (event_id, "clicked") && item->action != NULL && item->enabled)
    {
      g_autoptr(GVariant) target = item->target ? g_variant_ref (item->target) : NULL;
      g_autofree char *action = g_strdup (item->action);

      /* The activation may change the menu (and so free this item). */
      g_action_group_activate_action (self->actions, action, target);
    }
  return TRUE;
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
  DrDbusmenu *self = user_data;

  /* A layout asked for while a rebuild is pending must already show the change. */
  if (self->rebuild_id != 0)
    {
      g_clear_handle_id (&self->rebuild_id, g_source_remove);
      rebuild_idle_cb (self);
    }

  if (g_str_equal (method_name, "GetLayout"))
    {
      g_autofree const char **names = NULL;
      int parent, depth;
      Item *item;

      g_variant_get (parameters, "(ii^a&s)", &parent, &depth, &names);
      if ((item = lookup_item (self, parent, invocation)) == NULL)
        return;
      /* Exactly (u(ia{sv}av)): two out arguments, no struct around them (STYLE.md §6). */
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            layout_node (self, item, depth,
                                                                         names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      int id;

      g_variant_get (parameters, "(ai^a&s)", &ids, &names);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      if (g_variant_iter_n_children (ids) == 0)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, self->items);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            g_variant_builder_add (&builder, "(i@a{sv})", ((Item *) value)->id,
                                   item_properties (value, names));
        }
      while (g_variant_iter_next (ids, "i", &id))
        {
          Item *item = lookup_item (self, id, NULL);

          if (item != NULL)
            g_variant_builder_add (&builder, "(i@a{sv})", id, item_properties (item, names));
        }
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      const char *names[2] = { NULL, NULL };
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;
      Item *item;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &names[0]);
      if ((item = lookup_item (self, id, invocation)) == NULL)
        return;
      props = item_properties (item, names);
      value = g_variant_lookup_value (props, names[0], NULL);
      if (value == NULL)
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                               G_DBUS_ERROR_INVALID_ARGS,
                                               "Menu item %d has no property “%s”", id, names[0]);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      if (lookup_item (self, id, invocation) == NULL)
        return;
      g_dbus_method_invocation_return_value (invocation, NULL);
      handle_event (self, id, event_id);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      g_autoptr(GArray) clicked = g_array_new (FALSE, FALSE, sizeof (int));
      g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
      GVariantBuilder errors;
      const char *event_id;
      int id;

      g_variant_get (parameters, "(a(isvu))", &events);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (events, "(i&svu)", &id, &event_id, NULL, NULL))
        {
          if (lookup_item (self, id, NULL) == NULL)
            g_variant_builder_add (&errors, "i", id);
          else
            {
              g_array_append_val (clicked, id);
              g_ptr_array_add (kinds, g_strdup (event_id));
            }
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
      for (guint i = 0; i < clicked->len; i++)
        handle_event (self, g_array_index (clicked, int, i), g_ptr_array_index (kinds, i));
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      int id;

      g_variant_get (parameters, "(i)", &id);
      if (lookup_item (self, id, invocation) == NULL)
        return;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      GVariantBuilder errors;
      int id;

      g_variant_get (parameters, "(ai)", &ids);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (ids, "i", &id))
        if (lookup_item (self, id, NULL) == NULL)
          g_variant_builder_add (&errors, "i", id);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@aiai)",
                                                            g_variant_new_array (G_VARIANT_TYPE_INT32,
                                                                                 NULL, 0),
                                                            &errors));
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string ("ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s",
               property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = { method_call_cb, get_property_cb, NULL, };

gboolean
dr_dbusmenu_export (DrDbusmenu       *self,
                    GDBusConnection  *connection,
                    const char       *object_path,
                    GError          **error)
{
  g_return_val_if_fail (DR_IS_DBUSMENU (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  self->registration_id =
    g_dbus_connection_register_object (connection, object_path, node_info->interfaces[0],
                                       &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);
  return TRUE;
}

void
dr_dbusmenu_unexport (DrDbusmenu *self)
{
  g_return_if_fail (DR_IS_DBUSMENU (self));

  if (self->connection == NULL)
    return;
  g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->object_path, g_free);
}

guint
dr_dbusmenu_get_revision (DrDbusmenu *self)
{
  g_return_val_if_fail (DR_IS_DBUSMENU (self), 0);

  return self->revision;
}

static void
dr_dbusmenu_dispose (GObject *object)
{
  DrDbusmenu *self = DR_DBUSMENU (object);

  dr_dbusmenu_unexport (self);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->watched != NULL)
    unwatch (self);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (dr_dbusmenu_parent_class)->dispose (object);
}

static void
dr_dbusmenu_finalize (GObject *object)
{
  DrDbusmenu *self = DR_DBUSMENU (object);

  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_free (self->prefix);

  G_OBJECT_CLASS (dr_dbusmenu_parent_class)->finalize (object);
}

static void
dr_dbusmenu_class_init (DrDbusmenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_dbusmenu_dispose;
  object_class->finalize = dr_dbusmenu_finalize;

  node_info = g_dbus_node_info_new_for_xml (dbusmenu_xml, NULL);
  g_assert (node_info != NULL);
}

static void
dr_dbusmenu_init (DrDbusmenu *self)
{
  self->items = g_hash_table_new_full (NULL, NULL, NULL, item_free);
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_id = 1;
  self->revision = 1;
}

DrDbusmenu *
dr_dbusmenu_new (GMenuModel   *menu,
                 GActionGroup *actions,
                 const char   *prefix)
{
  DrDbusmenu *self;

  g_return_val_if_fail (G_IS_MENU_MODEL (menu), NULL);
  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);

  self = g_object_new (DR_TYPE_DBUSMENU, NULL);
  self->menu = g_object_ref (menu);
  self->actions = g_object_ref (actions);
  self->prefix = g_strdup (prefix);
  g_signal_connect_swapped (actions, "action-added", G_CALLBACK (action_changed_cb), self);
  g_signal_connect_swapped (actions, "action-removed", G_CALLBACK (action_changed_cb), self);
  g_signal_connect_swapped (actions, "action-enabled-changed", G_CALLBACK (action_changed_cb),
                            self);
  g_signal_connect_swapped (actions, "action-state-changed", G_CALLBACK (action_changed_cb),
                            self);
  rebuild (self);
  return self;
}
