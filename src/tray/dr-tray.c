/* dr-tray.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-dbusmenu.h"
#include "dr-status-notifier.h"
#include "dr-tray.h"

struct _DrTray
{
  GObject           parent_instance;

  DrEngine         *engine;
  DrCluster        *cluster;
  GActionGroup     *actions;

  DrStatusNotifier *item;
  DrDbusmenu       *dbusmenu;

  GMenu            *menu;
  GMenu            *runners_section;
  GMenu            *cluster_section;
  char             *runners_signature;
  gboolean          offers_start;

  GPtrArray        *watched;    /* objects whose signals lead to update_cb */
  guint             update_id;
  DrTrayState       state;
  char             *tooltip;
};

G_DEFINE_FINAL_TYPE (DrTray, dr_tray, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATE, PROP_TOOLTIP, PROP_REGISTERED, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The first job a runner is running, or NULL. */
static const char *
running_job (DrRunner *runner,
             guint    *n_busy)
{
  GListModel *ephemeral = dr_runner_get_ephemeral_runners (runner);
  const char *job = NULL;
  guint n = g_list_model_get_n_items (ephemeral);

  *n_busy = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) er = g_list_model_get_item (ephemeral, i);

      if (!dr_ephemeral_runner_get_busy (er))
        continue;
      (*n_busy)++;
      if (job == NULL)
        job = dr_ephemeral_runner_get_job_display_name (er);
    }
  return job != NULL && *job != '\0' ? job : NULL;
}

char *
dr_tray_describe_runner (DrRunner *runner)
{
  g_return_val_if_fail (DR_IS_RUNNER (runner), NULL);

  switch (dr_runner_get_status (runner))
    {
    case DR_RUNNER_STATUS_BUSY:
      {
        guint n_busy;
        const char *job = running_job (runner, &n_busy);

        if (n_busy > 1)
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "running %u job",
                                               "running %u jobs", n_busy), n_busy);
        if (job != NULL)
          /* Translators: the tooltip's "web: running build" */
          return g_strdup_printf (_("running %s"), job);
        return g_strdup (_("running a job"));
      }
    case DR_RUNNER_STATUS_IDLE:
      return g_strdup (_("idle"));
    case DR_RUNNER_STATUS_DEGRADED:
      switch (dr_runner_get_listener_state (runner))
        {
        case DR_LISTENER_STATE_CRASH_LOOPING:
          return g_strdup (_("listener crash-looping"));
        case DR_LISTENER_STATE_MISSING:
          return g_strdup (_("listener missing"));
        case DR_LISTENER_STATE_UNKNOWN:
        case DR_LISTENER_STATE_PENDING:
        case DR_LISTENER_STATE_RUNNING:
        default:
          return g_strdup (_("needs attention"));
        }
    case DR_RUNNER_STATUS_DEPLOYING:
      return g_strdup (_("starting"));
    case DR_RUNNER_STATUS_UNMANAGED:
      return g_strdup (_("not managed by Deskrun"));
    case DR_RUNNER_STATUS_NOT_DEPLOYED:
    default:
      return g_strdup (_("not deployed"));
    }
}

static void schedule_update (DrTray *self);

static void
changed_cb (DrTray *self)
{
  schedule_update (self);
}

static void
watch_object (DrTray     *self,
              gpointer    object,
              const char *signal_name)
{
  g_signal_connect_object (object, signal_name, G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->watched, g_object_ref (object));
}

static void
unwatch_all (DrTray *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

/* Runners and their runner pods come and go: follow whatever is there now. */
static void
rewatch (DrTray *self)
{
  GListModel *runners = dr_engine_get_runners (self->engine);
  guint n = g_list_model_get_n_items (runners);

  unwatch_all (self);
  watch_object (self, runners, "items-changed");
  if (self->cluster != NULL)
    watch_object (self, self->cluster, "notify::state");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      GListModel *ephemeral = dr_runner_get_ephemeral_runners (runner);
      guint n_ephemeral = g_list_model_get_n_items (ephemeral);

      watch_object (self, runner, "notify::status");
      watch_object (self, runner, "notify::listener-state");
      watch_object (self, ephemeral, "items-changed");
      for (guint j = 0; j < n_ephemeral; j++)
        {
          g_autoptr(DrEphemeralRunner) er = g_list_model_get_item (ephemeral, j);

          watch_object (self, er, "notify::busy");
          watch_object (self, er, "notify::job-display-name");
        }
    }
}

static GMenuItem *
runner_item (const char *label,
             const char *action,
             const char *name)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (name));
  return item;
}

static void
update_menu (DrTray    *self,
             GPtrArray *names,
             GPtrArray *labels)
{
  g_autoptr(GString) signature = g_string_new (NULL);
  gboolean offers_start;

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (signature, "%s\n%s\n", (char *) g_ptr_array_index (names, i),
                            (char *) g_ptr_array_index (labels, i));
  if (g_strcmp0 (signature->str, self->runners_signature) != 0)
    {
      g_free (self->runners_signature);
      self->runners_signature = g_strdup (signature->str);
      g_menu_remove_all (self->runners_section);
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          g_autoptr(GMenu) submenu = g_menu_new ();
          g_autoptr(GMenuItem) open = runner_item (_("Open"), "app.show-runner", name);
          g_autoptr(GMenuItem) logs = runner_item (_("Logs"), "app.show-runner-logs", name);
          g_autoptr(GMenuItem) scale = runner_item (_("Scale…"), "app.scale-runner", name);

          g_menu_append_item (submenu, open);
          g_menu_append_item (submenu, logs);
          g_menu_append_item (submenu, scale);
          g_menu_append_submenu (self->runners_section, g_ptr_array_index (labels, i),
                                 G_MENU_MODEL (submenu));
        }
    }

  offers_start = self->cluster != NULL && dr_cluster_is_kind (self->cluster) &&
                 dr_cluster_get_state (self->cluster) == DR_CLUSTER_STATE_STOPPED;
  if (offers_start != self->offers_start)
    {
      self->offers_start = offers_start;
      g_menu_remove_all (self->cluster_section);
      if (offers_start)
        g_menu_append (self->cluster_section, _("Start Cluster"), "app.start-cluster");
    }
}

static gboolean
update_cb (gpointer user_data)
{
  DrTray *self = user_data;
  GListModel *runners = dr_engine_get_runners (self->engine);
  guint n = g_list_model_get_n_items (runners);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tooltip = NULL;
  DrClusterState cluster_state = self->cluster ? dr_cluster_get_state (self->cluster)
                                               : DR_CLUSTER_STATE_UNKNOWN;
  gboolean busy = FALSE, attention = FALSE;
  DrTrayState state;

  self->update_id = 0;
  rewatch (self);

  if (cluster_state == DR_CLUSTER_STATE_STOPPED)
    {
      attention = TRUE;
      g_ptr_array_add (parts, g_strdup (_("Cluster stopped")));
    }
  else if (cluster_state == DR_CLUSTER_STATE_UNREACHABLE)
    {
      attention = TRUE;
      g_ptr_array_add (parts, g_strdup (_("Cluster unreachable")));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      g_autofree char *description = dr_tray_describe_runner (runner);
      const char *name = dr_runner_get_name (runner);

      switch (dr_runner_get_status (runner))
        {
        case DR_RUNNER_STATUS_BUSY:
          busy = TRUE;
          break;
        case DR_RUNNER_STATUS_DEGRADED:
          attention = TRUE;
          break;
        case DR_RUNNER_STATUS_NOT_DEPLOYED:
        case DR_RUNNER_STATUS_DEPLOYING:
        case DR_RUNNER_STATUS_IDLE:
        case DR_RUNNER_STATUS_UNMANAGED:
        default:
          break;
        }
      /* Translators: one runner in the tray's tooltip and menu: "web: idle" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s: %s"), name, description));
      g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_add (labels, g_strdup_printf (_("%s: %s"), name, description));
    }
  if (n == 0)
    g_ptr_array_add (parts, g_strdup (_("No runners")));
  g_ptr_array_add (parts, NULL);
  tooltip = g_strjoinv (" · ", (char **) parts->pdata);

  state = attention ? DR_TRAY_STATE_ATTENTION : busy ? DR_TRAY_STATE_BUSY : DR_TRAY_STATE_IDLE;

  update_menu (self, names, labels);

  switch (state)
    {
    case DR_TRAY_STATE_ATTENTION:
      /* Hosts that ignore AttentionIconName still show the change. */
      dr_status_notifier_set_icon (self->item, DR_TRAY_ICON_ATTENTION, DR_TRAY_ICON_ATTENTION);
      dr_status_notifier_set_status (self->item, DR_STATUS_NOTIFIER_NEEDS_ATTENTION);
      break;
    case DR_TRAY_STATE_BUSY:
      dr_status_notifier_set_icon (self->item, DR_TRAY_ICON_BUSY, DR_TRAY_ICON_ATTENTION);
      dr_status_notifier_set_status (self->item, DR_STATUS_NOTIFIER_ACTIVE);
      break;
    case DR_TRAY_STATE_IDLE:
    default:
      dr_status_notifier_set_icon (self->item, DR_TRAY_ICON_IDLE, DR_TRAY_ICON_ATTENTION);
      dr_status_notifier_set_status (self->item, DR_STATUS_NOTIFIER_ACTIVE);
      break;
    }
  dr_status_notifier_set_tooltip (self->item, _("Deskrun"), tooltip);

  if (g_strcmp0 (tooltip, self->tooltip) != 0)
    {
      g_free (self->tooltip);
      self->tooltip = g_steal_pointer (&tooltip);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
    }
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  return G_SOURCE_REMOVE;
}

/* A watch event changes several properties at once: one update for all of them. */
static void
schedule_update (DrTray *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add (update_cb, self);
}

static void
activate_cb (DrTray *self)
{
  if (g_action_group_has_action (self->actions, "open"))
    g_action_group_activate_action (self->actions, "open", NULL);
}

static void
registered_cb (DrTray *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

DrTrayState
dr_tray_get_state (DrTray *self)
{
  g_return_val_if_fail (DR_IS_TRAY (self), DR_TRAY_STATE_IDLE);

  return self->state;
}

const char *
dr_tray_get_tooltip (DrTray *self)
{
  g_return_val_if_fail (DR_IS_TRAY (self), NULL);

  return self->tooltip;
}

gboolean
dr_tray_get_registered (DrTray *self)
{
  g_return_val_if_fail (DR_IS_TRAY (self), FALSE);

  return dr_status_notifier_get_registered (self->item);
}

GMenuModel *
dr_tray_get_menu (DrTray *self)
{
  g_return_val_if_fail (DR_IS_TRAY (self), NULL);

  return G_MENU_MODEL (self->menu);
}

void
dr_tray_set_icon_theme_path (DrTray     *self,
                             const char *path)
{
  g_return_if_fail (DR_IS_TRAY (self));

  dr_status_notifier_set_icon_theme_path (self->item, path);
}

static void
dr_tray_dispose (GObject *object)
{
  DrTray *self = DR_TRAY (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->watched != NULL)
    unwatch_all (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  if (self->dbusmenu != NULL)
    dr_dbusmenu_unexport (self->dbusmenu);
  g_clear_object (&self->dbusmenu);
  g_clear_object (&self->runners_section);
  g_clear_object (&self->cluster_section);
  g_clear_object (&self->menu);
  g_clear_object (&self->actions);
  g_clear_object (&self->cluster);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (dr_tray_parent_class)->dispose (object);
}

static void
dr_tray_finalize (GObject *object)
{
  DrTray *self = DR_TRAY (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_free (self->runners_signature);
  g_free (self->tooltip);

  G_OBJECT_CLASS (dr_tray_parent_class)->finalize (object);
}

static void
dr_tray_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DrTray *self = DR_TRAY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_TOOLTIP:
      g_value_set_string (value, self->tooltip);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, dr_tray_get_registered (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_tray_class_init (DrTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_tray_dispose;
  object_class->finalize = dr_tray_finalize;
  object_class->get_property = dr_tray_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, DR_TRAY_STATE_IDLE, DR_TRAY_STATE_ATTENTION,
                      DR_TRAY_STATE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOOLTIP] =
    g_param_spec_string ("tooltip", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_tray_init (DrTray *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}

DrTray *
dr_tray_new (DrEngine         *engine,
             GActionGroup     *actions,
             GDBusConnection  *connection,
             GError          **error)
{
  g_autoptr(DrTray) self = NULL;
  g_autoptr(GMenu) open_section = g_menu_new ();
  g_autoptr(GMenu) quit_section = g_menu_new ();
  DrCluster *cluster;

  g_return_val_if_fail (DR_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (DR_TYPE_TRAY, NULL);
  self->engine = g_object_ref (engine);
  cluster = dr_engine_get_cluster (engine);
  self->cluster = cluster ? g_object_ref (cluster) : NULL;
  self->actions = g_object_ref (actions);

  self->menu = g_menu_new ();
  self->runners_section = g_menu_new ();
  self->cluster_section = g_menu_new ();
  g_menu_append (open_section, _("Open Deskrun"), "app.open");
  g_menu_append (quit_section, _("Quit"), "app.quit");
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (open_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->runners_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->cluster_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (quit_section));

  self->dbusmenu = dr_dbusmenu_new (G_MENU_MODEL (self->menu), actions, "app");
  if (!dr_dbusmenu_export (self->dbusmenu, connection, DR_TRAY_MENU_PATH, error))
    return NULL;
  self->item = dr_status_notifier_new (connection, "deskrun", _("Deskrun"), DR_TRAY_MENU_PATH,
                                       error);
  if (self->item == NULL)
    return NULL;
  g_signal_connect_swapped (self->item, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect_swapped (self->item, "notify::registered", G_CALLBACK (registered_cb), self);

  /* The first state is there at once, before anything changes. */
  update_cb (self);
  return g_steal_pointer (&self);
}
