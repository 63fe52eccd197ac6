/* dr-cluster-page.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cluster.h"
#include "dr-cluster-page.h"
#include "dr-cluster-row.h"
#include "dr-operation-row.h"
#include "dr-prerequisites.h"
#include "dr-ui-resources.h"
#include "dr-versions.h"

struct _DrClusterPage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkWidget        *clamp;
  AdwActionRow     *cluster_row;
  GtkImage         *cluster_icon;
  GtkButton        *cluster_button;
  AdwActionRow     *controller_row;
  GtkImage         *controller_icon;
  GtkButton        *controller_button;
  AdwActionRow     *runners_step_row;
  GtkImage         *runners_step_icon;
  GtkButton        *runners_step_button;
  GtkListBox       *operation_list;
  GtkWidget        *prerequisites_group;
  GtkListBox       *prerequisites_list;
  GtkWidget        *delete_button;

  /* Owned references */
  DrEngine         *engine;
  GSignalGroup     *cluster_signals;
  GSignalGroup     *runners_signals;

  /* Borrowed references */
  AdwMessageDialog *dialog;

  gboolean          blocked;  /* prerequisites missing: "next" only checks again */
};

G_DEFINE_FINAL_TYPE (DrClusterPage, dr_cluster_page, GTK_TYPE_WIDGET)

static DrCluster *
get_cluster (DrClusterPage *self)
{
  return self->engine ? dr_engine_get_cluster (self->engine) : NULL;
}

static void
set_icon_class (GtkImage   *icon,
                const char *css_class)
{
  static const char *classes[] = { "success", "error", "warning", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (icon), css_class);
}

/* A suggested button is the one next step; only one shows that way at a time. */
static void
set_button (GtkButton  *button,
            const char *label,
            gboolean    suggested)
{
  gtk_widget_set_visible (GTK_WIDGET (button), label != NULL);
  if (label != NULL)
    gtk_button_set_label (button, label);
  if (suggested)
    gtk_widget_add_css_class (GTK_WIDGET (button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "suggested-action");
}

static void
update_cluster_step (DrClusterPage *self,
                     DrCluster     *cluster)
{
  DrClusterState state = dr_cluster_get_state (cluster);
  const char *detail = dr_cluster_get_state_detail (cluster);
  gboolean kind = dr_cluster_is_kind (cluster);
  g_autofree char *title = NULL;
  const char *subtitle;
  const char *css;

  title = kind ? g_strdup_printf (_("Local Cluster “%s”"), dr_cluster_get_name (cluster))
               : g_strdup_printf (_("Cluster “%s”"), dr_cluster_get_name (cluster));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->cluster_row), title);

  subtitle = dr_cluster_state_describe (state, &css);
  set_icon_class (self->cluster_icon, css);
  switch (state)
    {
    case DR_CLUSTER_STATE_ABSENT:
      set_button (self->cluster_button, kind ? _("_Create") : NULL, TRUE);
      break;
    case DR_CLUSTER_STATE_STOPPED:
      set_button (self->cluster_button, kind ? _("_Start") : NULL, TRUE);
      break;
    case DR_CLUSTER_STATE_STARTING:
    case DR_CLUSTER_STATE_READY:
      set_button (self->cluster_button, NULL, FALSE);
      break;
    case DR_CLUSTER_STATE_UNREACHABLE:
      set_button (self->cluster_button, _("_Check Again"), FALSE);
      break;
    case DR_CLUSTER_STATE_UNKNOWN:
    default:
      set_button (self->cluster_button, _("_Check"), FALSE);
      break;
    }

  /* Creating or starting needs docker and kind: until they are there, the next step is the
   * fix in the prerequisites, not a button that can only fail. */
  {
    const DrPrerequisites *prerequisites = dr_cluster_get_prerequisites (cluster);

    if (kind && prerequisites != NULL && !dr_prerequisites_all_ok (prerequisites) &&
        state != DR_CLUSTER_STATE_READY && state != DR_CLUSTER_STATE_STARTING)
      {
        adw_action_row_set_subtitle (self->cluster_row,
                                     _("Install what is missing below first"));
        set_button (self->cluster_button, _("_Check Again"), FALSE);
        gtk_widget_action_set_enabled (GTK_WIDGET (self), "cluster.next", TRUE);
        self->blocked = TRUE;
        return;
      }
    self->blocked = FALSE;
  }

  /* The detail says why (the tool's own words); the state alone says what. */
  if (detail != NULL && *detail != '\0' && state != DR_CLUSTER_STATE_READY)
    {
      g_autofree char *text = g_strdup_printf ("%s — %s", subtitle, detail);
      adw_action_row_set_subtitle (self->cluster_row, text);
    }
  else
    adw_action_row_set_subtitle (self->cluster_row, subtitle);

  gtk_widget_set_visible (self->delete_button,
                          kind && state != DR_CLUSTER_STATE_ABSENT &&
                          state != DR_CLUSTER_STATE_UNKNOWN);
}

static void
update_controller_step (DrClusterPage *self,
                        DrCluster     *cluster)
{
  DrControllerState state = dr_cluster_get_controller_state (cluster);
  const char *detail = dr_cluster_get_controller_detail (cluster);
  const char *version = dr_cluster_get_controller_version (cluster);
  gboolean cluster_ready = dr_cluster_get_state (cluster) == DR_CLUSTER_STATE_READY;
  g_autofree char *subtitle = NULL;

  switch (state)
    {
    case DR_CONTROLLER_STATE_MISSING:
      subtitle = g_strdup (_("Not installed"));
      set_icon_class (self->controller_icon, "dim-label");
      set_button (self->controller_button, _("_Install"), cluster_ready);
      break;
    case DR_CONTROLLER_STATE_INSTALLING:
      subtitle = g_strdup (_("Installing…"));
      set_icon_class (self->controller_icon, "warning");
      set_button (self->controller_button, NULL, FALSE);
      break;
    case DR_CONTROLLER_STATE_STARTING:
      subtitle = g_strdup_printf (_("Starting — %s"), detail ? detail : "");
      set_icon_class (self->controller_icon, "warning");
      set_button (self->controller_button, NULL, FALSE);
      break;
    case DR_CONTROLLER_STATE_READY:
      subtitle = g_strdup_printf (_("Version %s, ready"), version ? version : "");
      set_icon_class (self->controller_icon, "success");
      set_button (self->controller_button, NULL, FALSE);
      break;
    case DR_CONTROLLER_STATE_OTHER_VERSION:
      subtitle = g_strdup_printf (_("Version %s is installed; deskrun works with %s"),
                                  version ? version : "?", DR_ARC_VERSION);
      set_icon_class (self->controller_icon, "warning");
      set_button (self->controller_button, _("_Upgrade"), TRUE);
      break;
    case DR_CONTROLLER_STATE_UNKNOWN:
    default:
      subtitle = g_strdup (_("Needs a running cluster"));
      set_icon_class (self->controller_icon, "dim-label");
      set_button (self->controller_button, _("_Install"), FALSE);
      break;
    }

  adw_action_row_set_subtitle (self->controller_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->controller_button), cluster_ready);
}

static void
update_runners_step (DrClusterPage *self,
                     DrCluster     *cluster)
{
  guint n = g_list_model_get_n_items (dr_engine_get_runners (self->engine));
  gboolean ready = dr_cluster_get_state (cluster) == DR_CLUSTER_STATE_READY &&
                   dr_cluster_get_controller_state (cluster) == DR_CONTROLLER_STATE_READY;
  g_autofree char *subtitle = NULL;

  if (n == 0)
    subtitle = g_strdup (ready ? _("Add your first runner")
                               : _("You can add runners now; they are deployed once the "
                                   "controller is ready"));
  else
    subtitle = g_strdup_printf (ngettext ("%u runner configured", "%u runners configured", n),
                                n);
  adw_action_row_set_subtitle (self->runners_step_row, subtitle);
  set_icon_class (self->runners_step_icon, n > 0 ? "success" : "dim-label");
  set_button (self->runners_step_button, _("_Add Runner"), ready && n == 0);
}

static void
update_prerequisites (DrClusterPage *self,
                      DrCluster     *cluster)
{
  const DrPrerequisites *prerequisites = dr_cluster_get_prerequisites (cluster);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->prerequisites_list))))
    gtk_list_box_remove (self->prerequisites_list, child);

  gtk_widget_set_visible (self->prerequisites_group,
                          prerequisites != NULL && dr_cluster_is_kind (cluster));
  if (prerequisites == NULL)
    return;

  for (guint i = 0; i < prerequisites->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (prerequisites->items, i);
      GtkWidget *icon = gtk_image_new_from_icon_name (item->ok ? "object-select-symbolic"
                                                               : "dialog-warning-symbolic");
      GtkWidget *row;

      gtk_widget_add_css_class (icon, item->ok ? "success" : "warning");
      if (item->ok || item->fix == NULL)
        {
          row = adw_action_row_new ();
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->detail ? item->detail : "");
        }
      else
        {
          /* What to run goes in a label that can be selected and copied. */
          GtkWidget *fix = gtk_label_new (item->fix);

          row = adw_expander_row_new ();
          adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), item->detail ? item->detail : "");
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          gtk_label_set_selectable (GTK_LABEL (fix), TRUE);
          gtk_label_set_wrap (GTK_LABEL (fix), TRUE);
          gtk_label_set_xalign (GTK_LABEL (fix), 0);
          gtk_widget_set_focusable (fix, FALSE);
          gtk_widget_add_css_class (fix, "monospace");
          gtk_widget_set_margin_top (fix, 9);
          gtk_widget_set_margin_bottom (fix, 9);
          gtk_widget_set_margin_start (fix, 12);
          gtk_widget_set_margin_end (fix, 12);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fix);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
      gtk_list_box_append (self->prerequisites_list, row);
    }
}

static void
update (DrClusterPage *self)
{
  DrCluster *cluster = get_cluster (self);

  if (cluster == NULL)
    return;

  update_cluster_step (self, cluster);
  update_controller_step (self, cluster);
  update_runners_step (self, cluster);
  update_prerequisites (self, cluster);
}

/* The page shows the operation it started last, so long work stays in view. */
static void
show_operation (DrClusterPage *self,
                DrOperation   *operation)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->operation_list))))
    gtk_list_box_remove (self->operation_list, child);
  gtk_list_box_append (self->operation_list, dr_operation_row_new (operation));
  gtk_widget_set_visible (GTK_WIDGET (self->operation_list), TRUE);
  dr_engine_add_operation (self->engine, operation);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DrClusterPage *self = DR_CLUSTER_PAGE (widget);
  DrCluster *cluster = get_cluster (self);
  g_autoptr(DrOperation) operation = NULL;

  g_return_if_fail (cluster != NULL);

  if (self->blocked)
    {
      operation = dr_cluster_refresh (cluster);
      show_operation (self, operation);
      return;
    }

  switch (dr_cluster_get_state (cluster))
    {
    case DR_CLUSTER_STATE_ABSENT:
      operation = dr_cluster_create (cluster);
      break;
    case DR_CLUSTER_STATE_STOPPED:
      operation = dr_cluster_start (cluster);
      break;
    case DR_CLUSTER_STATE_STARTING:
    case DR_CLUSTER_STATE_READY:
    case DR_CLUSTER_STATE_UNREACHABLE:
    case DR_CLUSTER_STATE_UNKNOWN:
    default:
      operation = dr_cluster_refresh (cluster);
      break;
    }
  show_operation (self, operation);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DrClusterPage *self = DR_CLUSTER_PAGE (widget);
  g_autoptr(DrOperation) operation = dr_cluster_refresh (get_cluster (self));

  show_operation (self, operation);
}

static void
upgrade_response_cb (DrClusterPage    *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "upgrade") != 0)
    return;
  operation = dr_cluster_install_controller (get_cluster (self), NULL,
                                             DR_CONTROLLER_INSTALL_MIGRATE);
  show_operation (self, operation);
}

static void
install_controller_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DrClusterPage *self = DR_CLUSTER_PAGE (widget);
  DrCluster *cluster = get_cluster (self);
  g_autoptr(DrOperation) operation = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;

  if (dr_cluster_get_controller_state (cluster) != DR_CONTROLLER_STATE_OTHER_VERSION)
    {
      operation = dr_cluster_install_controller (cluster, NULL, DR_CONTROLLER_INSTALL_NONE);
      show_operation (self, operation);
      return;
    }

  /* A controller deletes every scale set labelled for another version (FACTS.md §2.6): an
   * upgrade stops the old one and relabels first, and the user says yes to that. */
  root = gtk_widget_get_root (widget);
  body = g_strdup_printf (_("Version %s is installed. deskrun stops it, marks your scale sets "
                            "for version %s so that the new controller keeps them, and then "
                            "installs %s. Running jobs may fail while it happens."),
                          dr_cluster_get_controller_version (cluster) ?: "?", DR_ARC_VERSION,
                          DR_ARC_VERSION);
  self->dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                            _("Upgrade the Controller?"), body));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  adw_message_dialog_add_responses (self->dialog, "cancel", _("_Cancel"), "upgrade",
                                    _("_Upgrade"), NULL);
  adw_message_dialog_set_response_appearance (self->dialog, "upgrade", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (self->dialog, "cancel");
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (upgrade_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
delete_response_cb (DrClusterPage    *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  operation = dr_cluster_delete (get_cluster (self));
  show_operation (self, operation);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DrClusterPage *self = DR_CLUSTER_PAGE (widget);
  DrCluster *cluster = get_cluster (self);
  g_autofree char *heading = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  heading = g_strdup_printf (_("Delete the Cluster “%s”?"), dr_cluster_get_name (cluster));
  self->dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                            _("Every runner in it stops at once, and jobs they run fail. Your "
                              "runner settings and the caches in ~/.cache/deskrun stay, so "
                              "creating the cluster again brings the runners back.")));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  adw_message_dialog_add_responses (self->dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->dialog, "cancel");
  adw_message_dialog_set_close_response (self->dialog, "cancel");
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

void
dr_cluster_page_set_engine (DrClusterPage *self,
                            DrEngine      *engine)
{
  g_return_if_fail (DR_IS_CLUSTER_PAGE (self));

  if (!g_set_object (&self->engine, engine))
    return;
  g_signal_group_set_target (self->cluster_signals, get_cluster (self));
  g_signal_group_set_target (self->runners_signals,
                             engine ? dr_engine_get_runners (engine) : NULL);
  update (self);
}

static void
dr_cluster_page_dispose (GObject *object)
{
  DrClusterPage *self = DR_CLUSTER_PAGE (object);

  if (self->cluster_signals != NULL)
    g_signal_group_set_target (self->cluster_signals, NULL);
  if (self->runners_signals != NULL)
    g_signal_group_set_target (self->runners_signals, NULL);
  g_clear_object (&self->cluster_signals);
  g_clear_object (&self->runners_signals);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_CLUSTER_PAGE);

  G_OBJECT_CLASS (dr_cluster_page_parent_class)->dispose (object);
}

static void
dr_cluster_page_class_init (DrClusterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_cluster_page_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-cluster-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DrClusterPage, name)
  BIND (clamp);
  BIND (cluster_row);
  BIND (cluster_icon);
  BIND (cluster_button);
  BIND (controller_row);
  BIND (controller_icon);
  BIND (controller_button);
  BIND (runners_step_row);
  BIND (runners_step_icon);
  BIND (runners_step_button);
  BIND (operation_list);
  BIND (prerequisites_group);
  BIND (prerequisites_list);
  BIND (delete_button);
#undef BIND

  gtk_widget_class_install_action (widget_class, "cluster.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "cluster.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "cluster.install-controller", NULL,
                                   install_controller_action);
  gtk_widget_class_install_action (widget_class, "cluster.delete", NULL, delete_action);
}

static void
dr_cluster_page_init (DrClusterPage *self)
{
  static const char *cluster_properties[] = { "notify::state", "notify::state-detail",
                                              "notify::controller-state",
                                              "notify::controller-version",
                                              "notify::controller-detail",
                                              "notify::prerequisites" };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cluster_signals = g_signal_group_new (DR_TYPE_CLUSTER);
  for (guint i = 0; i < G_N_ELEMENTS (cluster_properties); i++)
    g_signal_group_connect_swapped (self->cluster_signals, cluster_properties[i],
                                    G_CALLBACK (update), self);
  self->runners_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->runners_signals, "items-changed", G_CALLBACK (update),
                                  self);
}

static void
append_row_text (GString   *text,
                 GtkWidget *row)
{
  if (!gtk_widget_get_visible (row))
    return;
  if (ADW_IS_EXPANDER_ROW (row))
    g_string_append_printf (text, "%s: %s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)));
  else
    g_string_append_printf (text, "%s: %s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
}

char *
_dr_cluster_page_dup_text (DrClusterPage *self)
{
  GString *text = g_string_new (NULL);
  GtkWidget *row;

  append_row_text (text, GTK_WIDGET (self->cluster_row));
  append_row_text (text, GTK_WIDGET (self->controller_row));
  append_row_text (text, GTK_WIDGET (self->runners_step_row));
  for (int i = 0; (row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->prerequisites_list, i)));
       i++)
    append_row_text (text, row);
  return g_string_free (text, FALSE);
}

AdwMessageDialog *
_dr_cluster_page_get_dialog (DrClusterPage *self)
{
  return self->dialog;
}
