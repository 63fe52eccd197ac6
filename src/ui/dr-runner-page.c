/* dr-runner-page.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cache.h"
#include "dr-ephemeral-runner.h"
#include "dr-error.h"
#include "dr-runner-jobs.h"
#include "dr-runner-page.h"
#include "dr-runner-row.h"
#include "dr-ui-resources.h"

struct _DrRunnerPage
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *scroller;
  AdwActionRow *status_row;
  GtkImage     *status_icon;
  AdwActionRow *listener_row;
  AdwActionRow *counts_row;
  AdwPreferencesGroup *ephemeral_group;
  GtkListBox   *ephemeral_list;
  DrRunnerJobs *jobs;
  AdwActionRow *runs_on_row;
  AdwActionRow *repository_row;
  AdwActionRow *mode_row;
  AdwActionRow *runners_row;
  AdwActionRow *scale_sets_row;
  AdwActionRow *group_row;
  AdwActionRow *labels_row;
  AdwActionRow *mounts_row;
  AdwActionRow *credential_row;
  AdwActionRow *cache_row;

  /* Owned references */
  DrRunner     *runner;
  GSignalGroup *runner_signals;
  DrEngine     *engine;
  GCancellable *cache_cancellable;  /* the measurement under way, or NULL */
  char         *cache_location;     /* the second line of the cache row */
  guint         cache_folders;
};

G_DEFINE_FINAL_TYPE (DrRunnerPage, dr_runner_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
mode_label (DrContainerMode mode)
{
  switch (mode)
    {
    case DR_CONTAINER_MODE_KUBERNETES: return _("Kubernetes — each job in its own pod");
    case DR_CONTAINER_MODE_PRIVILEGED: return _("Privileged — job pods with host access and caches");
    case DR_CONTAINER_MODE_DIND: return _("Docker-in-Docker");
    default: return _("Unknown");
    }
}

char *
dr_runner_page_dup_runs_on (DrRunnerPage *self)
{
  DrRunnerSpec *spec;

  g_return_val_if_fail (DR_IS_RUNNER_PAGE (self), NULL);

  if (self->runner == NULL)
    return NULL;

  spec = dr_runner_get_spec (self->runner);
  /* Instances are separate scale sets; spreading runs over them by run number is the
   * routing the deskrun CLI documented. */
  if (spec->instances > 1)
    return g_strdup_printf ("runs-on: %s-${{ github.run_number %% %u + 1 }}",
                            spec->name, spec->instances);
  return g_strdup_printf ("runs-on: %s", spec->name);
}

static char *
join_ptr_array (GPtrArray  *array,
                const char *separator)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < array->len; i++)
    {
      if (i > 0)
        g_string_append (text, separator);
      g_string_append (text, g_ptr_array_index (array, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
listener_label (DrListenerState state)
{
  switch (state)
    {
    case DR_LISTENER_STATE_MISSING: return _("Missing — no job can reach this runner");
    case DR_LISTENER_STATE_PENDING: return _("Starting");
    case DR_LISTENER_STATE_RUNNING: return _("Running — waiting for jobs");
    case DR_LISTENER_STATE_CRASH_LOOPING: return _("Crashing — see its log");
    case DR_LISTENER_STATE_UNKNOWN:
    default: return _("Not known while no cluster is connected");
    }
}

static void
update_status (DrRunnerPage *self)
{
  static const char *classes[] = { "success", "error", "warning", "dim-label" };
  DrRunnerStatus status;
  const char *detail;
  g_autofree char *counts = NULL;
  gboolean deployed;

  if (self->runner == NULL)
    return;

  status = dr_runner_get_status (self->runner);
  deployed = dr_runner_get_deployed (self->runner);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), dr_runner_status_css_class (status));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                 dr_runner_status_to_label (status));

  detail = dr_runner_get_status_detail (self->runner);
  if (detail == NULL && status == DR_RUNNER_STATUS_NOT_DEPLOYED)
    detail = _("Saved on this computer; no cluster is running it yet");
  adw_action_row_set_subtitle (self->status_row, detail ? detail : "");

  /* What only a cluster can tell is shown once there is one to tell it. */
  gtk_widget_set_visible (GTK_WIDGET (self->listener_row), deployed);
  gtk_widget_set_visible (GTK_WIDGET (self->counts_row), deployed);
  gtk_widget_set_visible (GTK_WIDGET (self->ephemeral_group), deployed);
  if (!deployed)
    return;

  adw_action_row_set_subtitle (self->listener_row,
                               listener_label (dr_runner_get_listener_state (self->runner)));
  /* Translators: counts of runner pods: running, pending, failed. */
  counts = g_strdup_printf (_("%u running, %u starting, %u failed"),
                            dr_runner_get_running_runners (self->runner),
                            dr_runner_get_pending_runners (self->runner),
                            dr_runner_get_failed_runners (self->runner));
  adw_action_row_set_subtitle (self->counts_row, counts);
}

static GtkWidget *
create_ephemeral_row (gpointer item,
                      gpointer user_data)
{
  DrEphemeralRunner *runner = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("media-record-symbolic");
  GtkWidget *log_button = gtk_button_new_with_label (_("Log"));
  const char *job = dr_ephemeral_runner_get_job_display_name (runner);
  g_autofree char *subtitle = NULL;

  if (job != NULL && *job != '\0')
    subtitle = g_strdup_printf (_("Running “%s” from %s"), job,
                                dr_ephemeral_runner_get_job_repository (runner) ?: "");
  else if (dr_ephemeral_runner_get_ready (runner))
    subtitle = g_strdup (_("Online, waiting for a job"));
  else
    subtitle = g_strdup_printf (_("Starting (%s)"), dr_ephemeral_runner_get_phase (runner) ?: "");

  gtk_widget_add_css_class (icon, "dr-status");
  gtk_widget_add_css_class (icon, dr_ephemeral_runner_get_busy (runner) ? "success" : "dim-label");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 dr_ephemeral_runner_get_name (runner));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  /* The window opens the log: it has the engine. The pod's name says which. */
  gtk_widget_set_valign (log_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (log_button, _("Show the runner’s live log"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (log_button), "runner.pod-log");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (log_button), "s",
                                    dr_ephemeral_runner_get_name (runner));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), log_button);
  return row;
}

static void
update_spec (DrRunnerPage *self)
{
  DrRunnerSpec *spec;
  g_autofree char *runs_on = NULL;
  g_autofree char *runners = NULL;
  g_autofree char *scale_sets = NULL;
  g_autofree char *labels = NULL;
  g_autoptr(GString) mounts = g_string_new (NULL);
  g_auto(GStrv) names = NULL;

  if (self->runner == NULL)
    return;

  spec = dr_runner_get_spec (self->runner);

  runs_on = dr_runner_page_dup_runs_on (self);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->runs_on_row), runs_on);

  adw_action_row_set_subtitle (self->repository_row, spec->repository_url);
  adw_action_row_set_subtitle (self->mode_row, mode_label (spec->mode));

  if (spec->instances > 1)
    runners = g_strdup_printf (ngettext ("%u instance, one runner each, each with its own caches",
                                         "%u instances, one runner each, each with its own caches",
                                         spec->instances),
                               spec->instances);
  else if (spec->min_runners == spec->max_runners)
    runners = g_strdup_printf (ngettext ("Always %u runner", "Always %u runners",
                                         spec->max_runners),
                               spec->max_runners);
  else
    runners = g_strdup_printf (_("%u to %u, started as jobs arrive"),
                               spec->min_runners, spec->max_runners);
  adw_action_row_set_subtitle (self->runners_row, runners);

  names = dr_runner_spec_dup_scale_set_names (spec);
  scale_sets = g_strjoinv (", ", names);
  adw_action_row_set_subtitle (self->scale_sets_row, scale_sets);

  adw_action_row_set_subtitle (self->group_row,
                               spec->runner_group && *spec->runner_group
                                 ? spec->runner_group : _("Default"));

  labels = join_ptr_array (spec->labels, ", ");
  adw_action_row_set_subtitle (self->labels_row, *labels ? labels : _("None"));

  for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
    {
      g_autofree char *text = dr_mount_to_string (g_ptr_array_index (spec->mounts, i));

      if (i > 0)
        g_string_append_c (mounts, '\n');
      g_string_append (mounts, text);
    }
  adw_action_row_set_subtitle (self->mounts_row, mounts->len ? mounts->str : _("None"));

  adw_action_row_set_subtitle (self->credential_row,
                               spec->credential_kind == DR_CREDENTIAL_KIND_GITHUB_APP
                                 ? _("GitHub App, in the system keyring")
                                 : _("Personal access token, in the system keyring"));
}

/* Where the runner's cache folders are: their common parent (the scale set's folder), or the
 * cache root when instances spread them over several. */
static char *
cache_location (char **dirs)
{
  g_autofree char *parent = g_path_get_dirname (dirs[0]);

  for (guint i = 1; dirs[i] != NULL; i++)
    {
      g_autofree char *other = g_path_get_dirname (dirs[i]);

      if (!g_str_equal (parent, other))
        return dr_cache_root ();
    }
  return g_steal_pointer (&parent);
}

static void
set_cache_subtitle (DrRunnerPage *self,
                    const char   *first_line)
{
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", first_line, self->cache_location);

  adw_action_row_set_subtitle (self->cache_row, subtitle);
}

static void
measure_cache_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DrRunnerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  guint64 bytes = 0;

  dr_engine_measure_runner_cache_finish (DR_ENGINE (object), result, &bytes, &error);
  /* Cancelled: another runner (or none) is shown now, or the page is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cache_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cache.refresh", TRUE);
  if (g_error_matches (error, DR_ERROR, DR_ERROR_UNSUPPORTED))
    {
      /* The caches are on another cluster's nodes: nothing here to show. */
      gtk_widget_set_visible (GTK_WIDGET (self->cache_row), FALSE);
      return;
    }
  if (error != NULL)
    {
      text = g_strdup_printf (_("Could not be measured: %s"), error->message);
      set_cache_subtitle (self, text);
      return;
    }
  if (bytes == 0)
    {
      set_cache_subtitle (self, _("None yet"));
      return;
    }

  size = g_format_size (bytes);
  /* Translators: a size such as "1.2 GB", then how many cache folders the runner has. */
  text = g_strdup_printf (ngettext ("%s in %u folder", "%s in %u folders", self->cache_folders),
                          size, self->cache_folders);
  set_cache_subtitle (self, text);
}

static void
measure_cache (DrRunnerPage *self)
{
  g_auto(GStrv) dirs = NULL;
  g_autofree char *tooltip = NULL;

  /* A figure for the previous runner, or the previous mounts, must not land on this one. */
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);

  if (self->runner != NULL && self->engine != NULL)
    dirs = dr_cache_dirs_for_runner (dr_runner_get_spec (self->runner));
  if (dirs == NULL || dirs[0] == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->cache_row), FALSE);
      return;
    }

  self->cache_folders = g_strv_length (dirs);
  g_free (self->cache_location);
  self->cache_location = cache_location (dirs);
  tooltip = g_strjoinv ("\n", dirs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cache_row), tooltip);
  /* A refresh keeps the last figure on screen until the new one is known. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->cache_row)))
    set_cache_subtitle (self, _("Measuring…"));
  gtk_widget_set_visible (GTK_WIDGET (self->cache_row), TRUE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cache.refresh", FALSE);
  self->cache_cancellable = g_cancellable_new ();
  dr_engine_measure_runner_cache_async (self->engine, dr_runner_get_name (self->runner),
                                        self->cache_cancellable, measure_cache_cb,
                                        g_object_ref (self));
}

static void
refresh_cache_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  measure_cache (DR_RUNNER_PAGE (widget));
}

void
dr_runner_page_set_engine (DrRunnerPage *self,
                           DrEngine     *engine)
{
  g_return_if_fail (DR_IS_RUNNER_PAGE (self));
  g_return_if_fail (engine == NULL || DR_IS_ENGINE (engine));

  dr_runner_jobs_set_engine (self->jobs, engine);
  if (g_set_object (&self->engine, engine))
    measure_cache (self);
}

const char *
_dr_runner_page_get_cache_text (DrRunnerPage *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->cache_row)))
    return NULL;
  return adw_action_row_get_subtitle (self->cache_row);
}

DrRunner *
dr_runner_page_get_runner (DrRunnerPage *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_PAGE (self), NULL);
  return self->runner;
}

void
dr_runner_page_set_runner (DrRunnerPage *self,
                           DrRunner     *runner)
{
  g_return_if_fail (DR_IS_RUNNER_PAGE (self));
  g_return_if_fail (runner == NULL || DR_IS_RUNNER (runner));

  if (!g_set_object (&self->runner, runner))
    return;

  g_signal_group_set_target (self->runner_signals, runner);
  gtk_list_box_bind_model (self->ephemeral_list,
                           runner ? dr_runner_get_ephemeral_runners (runner) : NULL,
                           create_ephemeral_row, NULL, NULL);
  dr_runner_jobs_set_runner (self->jobs, runner);
  update_spec (self);
  update_status (self);
  measure_cache (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
}

static void
dr_runner_page_dispose (GObject *object)
{
  DrRunnerPage *self = DR_RUNNER_PAGE (object);

  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  g_clear_pointer (&self->cache_location, g_free);
  g_clear_object (&self->engine);
  if (self->runner_signals != NULL)
    g_signal_group_set_target (self->runner_signals, NULL);
  g_clear_object (&self->runner_signals);
  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_RUNNER_PAGE);

  G_OBJECT_CLASS (dr_runner_page_parent_class)->dispose (object);
}

static void
dr_runner_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DrRunnerPage *self = DR_RUNNER_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DrRunnerPage *self = DR_RUNNER_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNER:
      dr_runner_page_set_runner (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_page_class_init (DrRunnerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_runner_page_dispose;
  object_class->get_property = dr_runner_page_get_property;
  object_class->set_property = dr_runner_page_set_property;

  properties[PROP_RUNNER] =
    g_param_spec_object ("runner", NULL, NULL, DR_TYPE_RUNNER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-runner-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, listener_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, counts_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, ephemeral_group);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, ephemeral_list);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, jobs);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, runs_on_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, repository_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, runners_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, scale_sets_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, group_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, labels_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, mounts_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, credential_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerPage, cache_row);

  gtk_widget_class_install_action (widget_class, "cache.refresh", NULL, refresh_cache_action);
  g_type_ensure (DR_TYPE_RUNNER_JOBS);
}

static void
dr_runner_page_init (DrRunnerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner_signals = g_signal_group_new (DR_TYPE_RUNNER);
  g_signal_group_connect_swapped (self->runner_signals, "notify::spec",
                                  G_CALLBACK (update_spec), self);
  /* Other mounts or instances are other folders. */
  g_signal_group_connect_swapped (self->runner_signals, "notify::spec",
                                  G_CALLBACK (measure_cache), self);
  {
    /* Everything observed about the runner lands in the status part of the page. */
    static const char *observed[] = { "notify::status", "notify::status-detail",
                                      "notify::deployed", "notify::listener-state",
                                      "notify::running-runners", "notify::pending-runners",
                                      "notify::failed-runners" };

    for (guint i = 0; i < G_N_ELEMENTS (observed); i++)
      g_signal_group_connect_swapped (self->runner_signals, observed[i],
                                      G_CALLBACK (update_status), self);
  }
  {
    GtkWidget *placeholder = gtk_label_new (_("No runner pods at the moment"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_list_box_set_placeholder (self->ephemeral_list, placeholder);
  }
}

static void
append_row_text (GString    *text,
                 GtkWidget  *row)
{
  if (!gtk_widget_get_visible (row))
    return;
  g_string_append_printf (text, "%s: %s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
}

char *
_dr_runner_page_dup_live_text (DrRunnerPage *self)
{
  GString *text = g_string_new (NULL);
  GtkWidget *row;

  append_row_text (text, GTK_WIDGET (self->status_row));
  append_row_text (text, GTK_WIDGET (self->listener_row));
  append_row_text (text, GTK_WIDGET (self->counts_row));
  for (int i = 0; (row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->ephemeral_list, i))); i++)
    append_row_text (text, row);
  return g_string_free (text, FALSE);
}
